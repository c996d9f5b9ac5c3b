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
  description:
    "Served from a per-instance cache for up to 5 s; changes made through the same instance show at once. Send `Cache-Control: no-cache` to read straight from the database.",
  request: { query: EndpointListQuery },
  responses: { 200: json(EndpointListSchema, "Endpoints"), ...errorResponses() },
});

export function registerListEndpoints(app: App): void {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const { db, now } = c.get("services");
    const fresh = /no-cache/i.test(c.req.header("cache-control") ?? "");
    const filter = { kind: q.kind, site: q.site, enabled: q.enabled === undefined ? undefined : q.enabled === "true" };
    const rows = await listEndpoints(db, c.get("principal").tenantId, filter, { fresh, now: now() });
    return c.json({ endpoints: rows.map(publicEndpoint) }, 200);
  });
}
