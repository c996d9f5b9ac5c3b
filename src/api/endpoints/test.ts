import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { probeEndpoint } from "../../services/endpoint-probe";
import { connectableEndpoint, getEndpoint } from "../../services/endpoints";
import { errorResponses, IdParam, json } from "../openapi";
import { EndpointTestResultSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/api/v1/endpoints/{id}/test",
  tags: ["endpoints"],
  summary: "Reach the endpoint with its stored credentials and report its version and the round-trip time",
  description:
    "Proxmox: GET /version; NetBox: GET /api/status/; RouterOS: GET /rest/system/resource. An unreachable service answers 502, a timeout 504, and an upstream 4xx (e.g. rejected credentials) keeps its status with code upstream_rejected.",
  middleware: [requireRole("operator")],
  request: { params: IdParam },
  responses: { 200: json(EndpointTestResultSchema, "Reached"), ...errorResponses(404, 502, 503, 504) },
});

export function registerTestEndpoint(app: App): void {
  app.openapi(route, async (c) => {
    const services = c.get("services");
    const row = await getEndpoint(services.db, c.get("principal").tenantId, c.req.valid("param").id);
    const result = await probeEndpoint(services, c.env, await connectableEndpoint(services.envelope, row));
    return c.json({ ok: true as const, kind: row.kind, version: result.version, latency_ms: result.latencyMs, details: result.details }, 200);
  });
}
