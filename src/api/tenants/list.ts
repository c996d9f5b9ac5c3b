import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { listTenants, publicTenant } from "../../services/tenants";
import { errorResponses, json } from "../openapi";
import { TenantListSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/api/v1/tenants",
  tags: ["tenants"],
  summary: "List tenants (super admin)",
  middleware: [requireRole("super_admin")],
  responses: { 200: json(TenantListSchema, "All tenants"), ...errorResponses() },
});

export function registerListTenants(app: App): void {
  app.openapi(route, async (c) => c.json({ tenants: (await listTenants(c.get("services").db)).map(publicTenant) }, 200));
}
