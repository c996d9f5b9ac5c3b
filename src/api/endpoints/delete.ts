import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { auditMeta } from "../../services/audit";
import { deleteEndpoint } from "../../services/endpoints";
import { errorResponses, IdParam } from "../openapi";

const route = createRoute({
  method: "delete",
  path: "/api/v1/endpoints/{id}",
  tags: ["endpoints"],
  summary: "Delete an endpoint and its stored credentials",
  middleware: [requireRole("admin")],
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...errorResponses(404) },
});

export function registerDeleteEndpoint(app: App): void {
  app.openapi(route, async (c) => {
    await deleteEndpoint(c.get("services"), c.get("principal"), c.req.valid("param").id, auditMeta(c));
    return c.body(null, 204);
  });
}
