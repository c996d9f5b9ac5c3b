import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { ApiError } from "../../errors";
import { readCookie, REFRESH_COOKIE, setSessionCookies } from "../../http/cookies";
import { rotateSession } from "../../services/sessions";
import { findActiveUser } from "../../services/users";
import { errorResponses, json } from "../openapi";
import { RefreshSchema, SessionSchema, sessionBody } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/api/v1/auth/refresh",
  tags: ["auth"],
  summary: "Exchange a refresh token for a new token pair (the old refresh token stops working)",
  security: [],
  request: { body: { required: false, content: { "application/json": { schema: RefreshSchema } } } },
  responses: { 200: json(SessionSchema, "New tokens"), ...errorResponses() },
});

export function registerRefresh(app: App): void {
  app.openapi(route, async (c) => {
    const presented = c.req.valid("json").refresh_token ?? readCookie(c, REFRESH_COOKIE);
    if (!presented) throw new ApiError(401, "unauthorized", "No refresh token: send refresh_token or the refresh cookie");
    const { db, now } = c.get("services");
    const { session, user } = await rotateSession(db, presented, c.env.JWT_SECRET, (id) => findActiveUser(db, id), now());
    setSessionCookies(c, session);
    return c.json(sessionBody(session, user), 200);
  });
}
