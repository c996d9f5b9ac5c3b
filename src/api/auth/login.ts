import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { users } from "../../db/schema";
import { eq } from "drizzle-orm";
import { failedCredential, lockedOut } from "../../http/authenticate";
import { setSessionCookies } from "../../http/cookies";
import { log } from "../../logging";
import { clearFailures, lockedFor } from "../../security/lockout";
import { verifyPassword } from "../../security/passwords";
import { startSession } from "../../services/sessions";
import { findActiveUser, findUserByUsername } from "../../services/users";
import { errorResponses, json, jsonBody } from "../openapi";
import { LoginSchema, SessionSchema, sessionBody } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/api/v1/auth/login",
  tags: ["auth"],
  summary: "Sign in with username and password",
  security: [],
  request: { body: jsonBody(LoginSchema) },
  responses: { 200: json(SessionSchema, "Signed in; tokens in the body and as cookies"), ...errorResponses() },
});

/** Spent on unknown usernames too, so response time does not reveal which accounts exist. */
const DUMMY_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

export function registerLogin(app: App): void {
  app.openapi(route, async (c) => {
    const { username, password } = c.req.valid("json");
    const { db, now } = c.get("services");
    const attempt = { kind: "password" as const, credential: username, source: c.get("source") };
    const locked = await lockedFor(db, attempt, now());
    if (locked > 0) throw lockedOut(locked);

    const candidate = await findUserByUsername(db, username);
    const valid = await verifyPassword(password, candidate?.passwordHash ?? DUMMY_HASH, c.env.OUTPOST_PEPPER);
    const user = valid && candidate ? await findActiveUser(db, candidate.id) : null;
    if (!user) {
      log("warn", "login_failed", { request_id: c.get("requestId"), username, source: c.get("source") });
      throw await failedCredential(c, "password", username, username, "Invalid username or password", candidate?.tenantId ?? null);
    }
    await clearFailures(db, attempt);
    const session = await startSession(db, user, c.env.JWT_SECRET, now());
    await db.update(users).set({ lastLoginAt: now() }).where(eq(users.id, user.id));
    setSessionCookies(c, session);
    log("info", "login", { request_id: c.get("requestId"), user_id: user.id, tenant: user.tenantId, source: c.get("source") });
    return c.json(sessionBody(session, { ...user, lastLoginAt: now() }), 200);
  });
}
