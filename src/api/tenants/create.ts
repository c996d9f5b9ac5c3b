import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { auditMeta } from "../../services/audit";
import { createTenant, publicTenant } from "../../services/tenants";
import { errorResponses, json, jsonBody } from "../openapi";
import { TenantCreateSchema, TenantSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/api/v1/tenants",
  tags: ["tenants"],
  summary: "Create a tenant (super admin); manage it by sending X-Outpost-Tenant",
  middleware: [requireRole("super_admin")],
  request: { body: jsonBody(TenantCreateSchema) },
  responses: { 201: json(TenantSchema, "Created"), ...errorResponses(409) },
});

export function registerCreateTenant(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    return c.json(publicTenant(await createTenant(db, c.get("principal"), c.req.valid("json"), auditMeta(c), now())), 201);
  });
}
