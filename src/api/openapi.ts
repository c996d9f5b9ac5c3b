/** Shared OpenAPI pieces: the error body, standard error responses, and common parameters. */
import { z } from "@hono/zod-openapi";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

const errorContent = { "application/json": { schema: ErrorSchema } };

const ERROR_DESCRIPTIONS = {
  400: "Invalid request (the body names the field)",
  401: "Missing or invalid credentials",
  403: "The caller's role does not allow this",
  404: "No such object in the caller's tenant",
  409: "Conflicts with an existing object",
  429: "Locked out after repeated failed authentication",
  502: "The upstream service could not be reached or failed",
  503: "Outpost is misconfigured or initializing",
  504: "The upstream service timed out",
} as const;

type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  const out = {} as Record<S, { description: string; content: typeof errorContent }>;
  for (const status of [...new Set([400, 401, 403, 429, ...statuses] as S[])]) {
    out[status] = { description: ERROR_DESCRIPTIONS[status], content: errorContent };
  }
  return out;
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

export const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .openapi({ param: { name: "id", in: "path" }, example: 1 }),
});

export const Timestamp = z.number().int().openapi({ description: "Milliseconds since the Unix epoch" });
