import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { auditMeta } from "../../services/audit";
import { clearLockout } from "../../services/lockouts";
import { errorResponses, IdParam } from "../openapi";

const route = createRoute({
  method: "delete",
  path: "/api/v1/lockouts/{id}",
  tags: ["lockouts"],
  summary: "Clear one (credential × source) failure record, lifting its lockout",
  middleware: [requireRole("admin")],
  request: { params: IdParam },
  responses: { 204: { description: "Cleared" }, ...errorResponses(404) },
});

export function registerClearLockout(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    await clearLockout(db, c.get("principal"), c.req.valid("param").id, auditMeta(c), now());
    return c.body(null, 204);
  });
}
