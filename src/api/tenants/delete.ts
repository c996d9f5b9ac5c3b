import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { auditMeta } from "../../services/audit";
import { deleteTenant } from "../../services/tenants";
import { errorResponses, IdParam } from "../openapi";

const route = createRoute({
  method: "delete",
  path: "/api/v1/tenants/{id}",
  tags: ["tenants"],
  summary: "Delete a tenant and everything it owns (super admin)",
  middleware: [requireRole("super_admin")],
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...errorResponses(404) },
});

export function registerDeleteTenant(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    await deleteTenant(db, c.get("principal"), c.req.valid("param").id, auditMeta(c), now());
    return c.body(null, 204);
  });
}
