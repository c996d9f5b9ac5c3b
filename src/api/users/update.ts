import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { auditMeta } from "../../services/audit";
import { publicUser, updateUser } from "../../services/users";
import { errorResponses, IdParam, json, jsonBody } from "../openapi";
import { UserSchema, UserUpdateSchema } from "./schemas";

const route = createRoute({
  method: "patch",
  path: "/api/v1/users/{id}",
  tags: ["users"],
  summary: "Change a user's profile, role, state or password",
  middleware: [requireRole("admin")],
  request: { params: IdParam, body: jsonBody(UserUpdateSchema) },
  responses: { 200: json(UserSchema, "Updated"), ...errorResponses(404) },
});

export function registerUpdateUser(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    const user = await updateUser(db, c.get("principal"), c.req.valid("param").id, c.req.valid("json"), c.env.OUTPOST_PEPPER, auditMeta(c), now());
    return c.json(publicUser(user), 200);
  });
}
