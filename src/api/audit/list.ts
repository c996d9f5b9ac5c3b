import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import type { App } from "../../context";
import { auditLog, type AuditEntry } from "../../db/schema";
import { requireRole } from "../../http/authorize";
import { errorResponses, json, Timestamp } from "../openapi";

const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: Timestamp,
    actor: z.object({ type: z.enum(["user", "api_key", "system"]), id: z.number().int().nullable(), label: z.string() }),
    action: z.string().openapi({ example: "endpoint.update" }),
    target: z.object({ type: z.string(), id: z.string().nullable() }),
    before: z.unknown(),
    after: z.unknown(),
    request_id: z.string().nullable(),
    source: z.string().nullable(),
  })
  .openapi("AuditEntry");

const Query = z.object({
  action: z.string().max(64).optional(),
  target_type: z.string().max(64).optional(),
  target_id: z.string().max(64).optional(),
  actor_type: z.enum(["user", "api_key", "system"]).optional(),
  actor_id: z.coerce.number().int().positive().optional(),
  since: z.coerce.number().int().nonnegative().optional().openapi({ description: "Only entries at or after this time (ms)" }),
  until: z.coerce.number().int().nonnegative().optional(),
  before_id: z.coerce.number().int().positive().optional().openapi({ description: "Page backwards: entries older than this id" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const route = createRoute({
  method: "get",
  path: "/api/v1/audit",
  tags: ["audit"],
  summary: "The tenant's audit log, newest first",
  middleware: [requireRole("admin")],
  request: { query: Query },
  responses: {
    200: json(z.object({ entries: z.array(AuditEntrySchema), next_before_id: z.number().int().nullable() }).openapi("AuditPage"), "A page of entries"),
    ...errorResponses(),
  },
});

function publicEntry(e: AuditEntry): z.infer<typeof AuditEntrySchema> {
  return {
    id: e.id,
    at: e.at,
    actor: { type: e.actorType, id: e.actorId, label: e.actorLabel },
    action: e.action,
    target: { type: e.targetType, id: e.targetId },
    before: e.before,
    after: e.after,
    request_id: e.requestId,
    source: e.source,
  };
}

export function registerListAudit(app: App): void {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const conditions: SQL[] = [eq(auditLog.tenantId, c.get("principal").tenantId)];
    if (q.action) conditions.push(eq(auditLog.action, q.action));
    if (q.target_type) conditions.push(eq(auditLog.targetType, q.target_type));
    if (q.target_id) conditions.push(eq(auditLog.targetId, q.target_id));
    if (q.actor_type) conditions.push(eq(auditLog.actorType, q.actor_type));
    if (q.actor_id) conditions.push(eq(auditLog.actorId, q.actor_id));
    if (q.since !== undefined) conditions.push(gte(auditLog.at, q.since));
    if (q.until !== undefined) conditions.push(lte(auditLog.at, q.until));
    if (q.before_id) conditions.push(lt(auditLog.id, q.before_id));
    const rows = await c.get("services").db.select().from(auditLog).where(and(...conditions)).orderBy(desc(auditLog.id)).limit(q.limit).all();
    const last = rows.at(-1);
    return c.json({ entries: rows.map(publicEntry), next_before_id: rows.length === q.limit && last ? last.id : null }, 200);
  });
}
