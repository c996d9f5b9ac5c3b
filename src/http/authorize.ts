import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import type { Role } from "../db/schema";
import { ApiError, forbidden } from "../errors";
import { roleAtLeast } from "../security/roles";
import { matches, PASSWORD_CHANGE_ROUTES, PUBLIC_ROUTES, SELF_SERVICE_ROUTES } from "./public-routes";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The default rule for every route: a mutation needs at least `operator` unless it is self-service, and a user
 * who must change the password can do nothing else first. Routes add stricter needs with `requireRole`.
 */
export const authorizeByDefault = createMiddleware<AppEnv>(async (c, next) => {
  if (matches(PUBLIC_ROUTES, c.req.method, c.req.path)) return next();
  const principal = c.get("principal");
  if (principal.mustChangePassword && !matches(PASSWORD_CHANGE_ROUTES, c.req.method, c.req.path)) {
    throw new ApiError(403, "password_change_required", "Change your password first (POST /api/v1/auth/password)");
  }
  if (MUTATING.has(c.req.method) && !matches(SELF_SERVICE_ROUTES, c.req.method, c.req.path) && !roleAtLeast(principal.role, "operator")) {
    throw forbidden();
  }
  return next();
});

export function requireRole(minimum: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roleAtLeast(c.get("principal").role, minimum)) throw forbidden(`This action needs the ${minimum} role`);
    return next();
  });
}
