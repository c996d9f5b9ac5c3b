import { z } from "@hono/zod-openapi";
import { Timestamp } from "../openapi";

export const LockoutSchema = z
  .object({
    id: z.number().int(),
    tenant_id: z.number().int().nullable(),
    kind: z.enum(["password", "api_key", "token"]),
    label: z.string().openapi({ description: "The username tried or a key prefix; never a secret" }),
    source: z.string(),
    failures: z.number().int(),
    first_at: Timestamp,
    last_at: Timestamp,
    locked: z.boolean(),
    retry_after_seconds: z.number().int(),
  })
  .openapi("Lockout");

export const LockoutListSchema = z.object({ lockouts: z.array(LockoutSchema) }).openapi("LockoutList");

export const LockoutListQuery = z.object({
  locked: z.enum(["true", "false"]).optional().openapi({ description: "Only pairs that are locked right now (true) or not (false)" }),
});
