import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { auditStatement, actorOf, auditMeta } from "../../services/audit";
import { errorResponses, json } from "../openapi";

const ResultSchema = z
  .object({
    master_key_id: z.string().openapi({ description: "Id (hash prefix) of the master key now wrapping every data key" }),
    rewrapped: z.number().int(),
    remaining: z.number().int().openapi({ description: "Data keys still wrapped by another master key (0 when done)" }),
  })
  .openapi("MasterKeyRotation");

const route = createRoute({
  method: "post",
  path: "/api/v1/admin/rotate-master-key",
  tags: ["admin"],
  summary: "Re-wrap every tenant data key with OUTPOST_MASTER_KEY (the old key must be in OUTPOST_MASTER_KEY_PREVIOUS)",
  middleware: [requireRole("super_admin")],
  responses: { 200: json(ResultSchema, "Rotation result"), ...errorResponses() },
});

export function registerRotateMasterKey(app: App): void {
  app.openapi(route, async (c) => {
    const { db, envelope, now } = c.get("services");
    const principal = c.get("principal");
    const result = await envelope.rotateMasterKey(now());
    await auditStatement(db, actorOf(principal), { tenantId: principal.homeTenantId, action: "master_key.rotate", targetType: "master_key", targetId: result.masterKeyId, after: result }, auditMeta(c), now());
    return c.json({ master_key_id: result.masterKeyId, rewrapped: result.rewrapped, remaining: result.remaining }, 200);
  });
}
