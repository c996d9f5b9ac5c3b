import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { auditMeta } from "../../services/audit";
import { createEndpoint, publicEndpoint } from "../../services/endpoints";
import { errorResponses, json, jsonBody } from "../openapi";
import { EndpointCreateSchema, EndpointSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/api/v1/endpoints",
  tags: ["endpoints"],
  summary: "Register a Proxmox, NetBox or RouterOS endpoint (credentials are stored encrypted)",
  middleware: [requireRole("admin")],
  request: { body: jsonBody(EndpointCreateSchema) },
  responses: { 201: json(EndpointSchema, "Created"), ...errorResponses(409) },
});

export function registerCreateEndpoint(app: App): void {
  app.openapi(route, async (c) => {
    const row = await createEndpoint(c.get("services"), c.get("principal"), c.req.valid("json"), auditMeta(c));
    return c.json(publicEndpoint(row), 201);
  });
}
