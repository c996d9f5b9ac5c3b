import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { auditMeta } from "../../services/audit";
import { deleteUser } from "../../services/users";
import { errorResponses, IdParam } from "../openapi";

const route = createRoute({
  method: "delete",
  path: "/api/v1/users/{id}",
  tags: ["users"],
  summary: "Delete a user (their sessions end)",
  middleware: [requireRole("admin")],
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...errorResponses(404) },
});

export function registerDeleteUser(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    await deleteUser(db, c.get("principal"), c.req.valid("param").id, auditMeta(c), now());
    return c.body(null, 204);
  });
}
