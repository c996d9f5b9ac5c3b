import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { auditMeta } from "../../services/audit";
import { publicEndpoint, updateEndpoint } from "../../services/endpoints";
import { errorResponses, IdParam, json, jsonBody } from "../openapi";
import { EndpointSchema, EndpointUpdateSchema } from "./schemas";

const route = createRoute({
  method: "patch",
  path: "/api/v1/endpoints/{id}",
  tags: ["endpoints"],
  summary: "Change an endpoint; `credentials` replaces the stored credential",
  middleware: [requireRole("admin")],
  request: { params: IdParam, body: jsonBody(EndpointUpdateSchema) },
  responses: { 200: json(EndpointSchema, "Updated"), ...errorResponses(404, 409) },
});

export function registerUpdateEndpoint(app: App): void {
  app.openapi(route, async (c) => {
    const row = await updateEndpoint(c.get("services"), c.get("principal"), c.req.valid("param").id, c.req.valid("json"), auditMeta(c));
    return c.json(publicEndpoint(row), 200);
  });
}
