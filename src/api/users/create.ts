import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { auditMeta } from "../../services/audit";
import { createUser, publicUser } from "../../services/users";
import { errorResponses, json, jsonBody } from "../openapi";
import { UserCreateSchema, UserSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/api/v1/users",
  tags: ["users"],
  summary: "Create a user in the tenant (roles up to your own)",
  middleware: [requireRole("admin")],
  request: { body: jsonBody(UserCreateSchema) },
  responses: { 201: json(UserSchema, "Created"), ...errorResponses(409) },
});

export function registerCreateUser(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    const user = await createUser(db, c.get("principal"), c.req.valid("json"), c.env.OUTPOST_PEPPER, auditMeta(c), now());
    return c.json(publicUser(user), 201);
  });
}
