import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { listEndpoints, publicEndpoint } from "../../services/endpoints";
import { errorResponses, json } from "../openapi";
import { EndpointListQuery, EndpointListSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/api/v1/endpoints",
  tags: ["endpoints"],
  summary: "List the tenant's endpoints (never their credentials)",
  request: { query: EndpointListQuery },
  responses: { 200: json(EndpointListSchema, "Endpoints"), ...errorResponses() },
});

export function registerListEndpoints(app: App): void {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const rows = await listEndpoints(c.get("services").db, c.get("principal").tenantId, {
      kind: q.kind,
      site: q.site,
      enabled: q.enabled === undefined ? undefined : q.enabled === "true",
    });
    return c.json({ endpoints: rows.map(publicEndpoint) }, 200);
  });
}
