import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { ApiError } from "../../errors";
import { verifyPassword } from "../../security/passwords";
import { auditMeta } from "../../services/audit";
import { changeOwnPassword, getUser } from "../../services/users";
import { errorResponses, jsonBody } from "../openapi";
import { PasswordChangeSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/api/v1/auth/password",
  tags: ["auth"],
  summary: "Change your own password (ends your other sessions)",
  request: { body: jsonBody(PasswordChangeSchema) },
  responses: { 204: { description: "Password changed" }, ...errorResponses() },
});

export function registerPasswordChange(app: App): void {
  app.openapi(route, async (c) => {
    const principal = c.get("principal");
    if (principal.type !== "user") throw new ApiError(400, "bad_request", "API keys have no password");
    const { current_password, new_password } = c.req.valid("json");
    const { db, now } = c.get("services");
    const user = await getUser(db, principal.homeTenantId, principal.id);
    if (!(await verifyPassword(current_password, user.passwordHash, c.env.OUTPOST_PEPPER))) {
      throw new ApiError(400, "validation_failed", "current_password is wrong", { issues: [{ field: "json.current_password", message: "is wrong" }] });
    }
    if (current_password === new_password) {
      throw new ApiError(400, "validation_failed", "new_password must differ from the current password", { issues: [{ field: "json.new_password", message: "must differ" }] });
    }
    await changeOwnPassword(db, user, new_password, principal.sessionId, c.env.OUTPOST_PEPPER, auditMeta(c), now());
    return c.body(null, 204);
  });
}
