import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { clearSessionCookies, readCookie, REFRESH_COOKIE } from "../../http/cookies";
import { familyOfRefreshToken, revokeFamily } from "../../services/sessions";
import { errorResponses } from "../openapi";

const route = createRoute({
  method: "post",
  path: "/api/v1/auth/logout",
  tags: ["auth"],
  summary: "End the current session (its access and refresh tokens stop working)",
  responses: { 204: { description: "Signed out" }, ...errorResponses() },
});

export function registerLogout(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    const principal = c.get("principal");
    if (principal.sessionId) await revokeFamily(db, principal.sessionId, now());
    const cookie = readCookie(c, REFRESH_COOKIE);
    const family = cookie ? await familyOfRefreshToken(db, cookie) : null;
    if (family && family !== principal.sessionId) await revokeFamily(db, family, now());
    clearSessionCookies(c);
    return c.body(null, 204);
  });
}
