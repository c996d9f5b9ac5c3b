import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { getUser, publicUser } from "../../services/users";
import { errorResponses, IdParam, json } from "../openapi";
import { UserSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/api/v1/users/{id}",
  tags: ["users"],
  summary: "One user of the tenant",
  middleware: [requireRole("admin")],
  request: { params: IdParam },
  responses: { 200: json(UserSchema, "The user"), ...errorResponses(404) },
});

export function registerGetUser(app: App): void {
  app.openapi(route, async (c) => {
    const user = await getUser(c.get("services").db, c.get("principal").tenantId, c.req.valid("param").id);
    return c.json(publicUser(user), 200);
  });
}
