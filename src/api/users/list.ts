import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { listUsers, publicUser } from "../../services/users";
import { errorResponses, json } from "../openapi";
import { UserListSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/api/v1/users",
  tags: ["users"],
  summary: "List the tenant's users",
  middleware: [requireRole("admin")],
  responses: { 200: json(UserListSchema, "Users of the tenant"), ...errorResponses() },
});

export function registerListUsers(app: App): void {
  app.openapi(route, async (c) => {
    const rows = await listUsers(c.get("services").db, c.get("principal").tenantId);
    return c.json({ users: rows.map(publicUser) }, 200);
  });
}
