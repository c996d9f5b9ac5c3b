import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { revokeApiKey } from "../../services/api-keys";
import { auditMeta } from "../../services/audit";
import { errorResponses, IdParam } from "../openapi";

const route = createRoute({
  method: "delete",
  path: "/api/v1/api-keys/{id}",
  tags: ["api-keys"],
  summary: "Revoke an API key (it stops working at once)",
  middleware: [requireRole("admin")],
  request: { params: IdParam },
  responses: { 204: { description: "Revoked" }, ...errorResponses(404) },
});

export function registerRevokeApiKey(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    await revokeApiKey(db, c.get("principal"), c.req.valid("param").id, auditMeta(c), now());
    return c.body(null, 204);
  });
}
