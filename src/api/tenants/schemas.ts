import { z } from "@hono/zod-openapi";
import { Timestamp } from "../openapi";

export const TenantSchema = z
  .object({ id: z.number().int(), slug: z.string(), name: z.string(), disabled: z.boolean(), created_at: Timestamp })
  .openapi("Tenant");

export const TenantCreateSchema = z
  .object({
    slug: z
      .string()
      .min(2)
      .max(48)
      .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "lower-case letters, digits and inner hyphens"),
    name: z.string().min(1).max(100),
  })
  .strict()
  .openapi("TenantCreate");

export const TenantUpdateSchema = z
  .object({ name: z.string().min(1).max(100).optional(), disabled: z.boolean().optional() })
  .strict()
  .openapi("TenantUpdate");

export const TenantListSchema = z.object({ tenants: z.array(TenantSchema) }).openapi("TenantList");
