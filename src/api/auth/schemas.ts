import { z } from "@hono/zod-openapi";
import type { User } from "../../db/schema";
import type { IssuedSession } from "../../services/sessions";
import { publicUser } from "../../services/users";
import { UserSchema } from "../users/schemas";

export const LoginSchema = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .strict()
  .openapi("Login");

export const SessionSchema = z
  .object({
    token_type: z.literal("Bearer"),
    access_token: z.string(),
    expires_in: z.number().int().openapi({ description: "Seconds until the access token expires" }),
    refresh_token: z.string().openapi({ description: "Rotating; also set as an HttpOnly cookie for browsers" }),
    csrf_token: z.string().openapi({ description: "Echo in X-CSRF-Token on cookie-authenticated writes" }),
    user: UserSchema,
  })
  .openapi("Session");

export const RefreshSchema = z
  .object({ refresh_token: z.string().min(1).max(512).optional().openapi({ description: "Omit when sending the refresh cookie" }) })
  .strict()
  .openapi("Refresh");

export const PasswordChangeSchema = z
  .object({ current_password: z.string().min(1).max(1024), new_password: z.string().min(1).max(1024) })
  .strict()
  .openapi("PasswordChange");

export const MeSchema = z
  .object({
    type: z.enum(["user", "api_key"]),
    id: z.number().int(),
    label: z.string(),
    role: UserSchema.shape.role,
    tenant: z.object({ id: z.number().int(), slug: z.string(), name: z.string() }),
    home_tenant_id: z.number().int(),
    authenticated_via: z.enum(["bearer", "cookie", "api_key"]),
    must_change_password: z.boolean(),
    user: UserSchema.nullable(),
  })
  .openapi("Me");

/** The body of a successful login or refresh. */
export function sessionBody(session: IssuedSession, user: User): z.infer<typeof SessionSchema> {
  return {
    token_type: "Bearer",
    access_token: session.accessToken,
    expires_in: session.expiresIn,
    refresh_token: session.refreshToken,
    csrf_token: session.csrfToken,
    user: publicUser(user),
  };
}
