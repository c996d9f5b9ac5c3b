import { z } from "@hono/zod-openapi";
import { Timestamp } from "../openapi";
import { RoleSchema } from "../users/schemas";

export const ApiKeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string().openapi({ description: "The key's first characters, to tell keys apart" }),
    role: RoleSchema,
    created_by: z.number().int().nullable(),
    created_at: Timestamp,
    expires_at: Timestamp.nullable(),
    last_used_at: Timestamp.nullable(),
    revoked_at: Timestamp.nullable(),
  })
  .openapi("ApiKey");

export const ApiKeyCreateSchema = z
  .object({
    name: z.string().min(1).max(100),
    role: RoleSchema,
    expires_at: Timestamp.nullable().optional(),
  })
  .strict()
  .openapi("ApiKeyCreate");

export const ApiKeyCreatedSchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: "The secret key. Shown only in this response; store it now." }),
}).openapi("ApiKeyCreated");

export const ApiKeyListSchema = z.object({ api_keys: z.array(ApiKeySchema) }).openapi("ApiKeyList");
