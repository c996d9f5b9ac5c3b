import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { auditMeta } from "../../services/audit";
import { clearAllLockouts } from "../../services/lockouts";
import { errorResponses, json } from "../openapi";

const route = createRoute({
  method: "delete",
  path: "/api/v1/lockouts",
  tags: ["lockouts"],
  summary: "Clear every failure record in scope, lifting all lockouts",
  middleware: [requireRole("admin")],
  responses: { 200: json(z.object({ cleared: z.number().int() }).openapi("LockoutsCleared"), "How many were cleared"), ...errorResponses() },
});

export function registerClearAllLockouts(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    return c.json({ cleared: await clearAllLockouts(db, c.get("principal"), auditMeta(c), now()) }, 200);
  });
}
