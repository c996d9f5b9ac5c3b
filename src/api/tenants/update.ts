import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { auditMeta } from "../../services/audit";
import { publicTenant, updateTenant } from "../../services/tenants";
import { errorResponses, IdParam, json, jsonBody } from "../openapi";
import { TenantSchema, TenantUpdateSchema } from "./schemas";

const route = createRoute({
  method: "patch",
  path: "/api/v1/tenants/{id}",
  tags: ["tenants"],
  summary: "Rename or disable a tenant (super admin); a disabled tenant's users cannot sign in",
  middleware: [requireRole("super_admin")],
  request: { params: IdParam, body: jsonBody(TenantUpdateSchema) },
  responses: { 200: json(TenantSchema, "Updated"), ...errorResponses(404) },
});

export function registerUpdateTenant(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    const tenant = await updateTenant(db, c.get("principal"), c.req.valid("param").id, c.req.valid("json"), auditMeta(c), now());
    return c.json(publicTenant(tenant), 200);
  });
}
