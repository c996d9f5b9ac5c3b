import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { getTenant, publicTenant } from "../../services/tenants";
import { errorResponses, IdParam, json } from "../openapi";
import { TenantSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/api/v1/tenants/{id}",
  tags: ["tenants"],
  summary: "One tenant (super admin)",
  middleware: [requireRole("super_admin")],
  request: { params: IdParam },
  responses: { 200: json(TenantSchema, "The tenant"), ...errorResponses(404) },
});

export function registerGetTenant(app: App): void {
  app.openapi(route, async (c) => c.json(publicTenant(await getTenant(c.get("services").db, c.req.valid("param").id)), 200));
}
