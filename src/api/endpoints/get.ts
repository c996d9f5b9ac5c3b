import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { getEndpoint, publicEndpoint } from "../../services/endpoints";
import { errorResponses, IdParam, json } from "../openapi";
import { EndpointSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/api/v1/endpoints/{id}",
  tags: ["endpoints"],
  summary: "One endpoint",
  request: { params: IdParam },
  responses: { 200: json(EndpointSchema, "The endpoint"), ...errorResponses(404) },
});

export function registerGetEndpoint(app: App): void {
  app.openapi(route, async (c) => {
    const row = await getEndpoint(c.get("services").db, c.get("principal").tenantId, c.req.valid("param").id);
    return c.json(publicEndpoint(row), 200);
  });
}
