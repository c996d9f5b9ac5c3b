/**
 * The audit log: who did what, when, in which tenant, with the object before and after. Entries are built as
 * statements so callers put them in the same D1 batch as the change they describe (both land or neither).
 */
import type { Db } from "../db/client";
import { auditLog } from "../db/schema";
import type { Principal } from "../context";
import { redact } from "../logging";

export interface AuditActor {
  type: "user" | "api_key" | "system";
  id: number | null;
  label: string;
}

export interface AuditMeta {
  requestId?: string;
  source?: string;
}

export interface AuditChange {
  tenantId: number;
  action: string;
  targetType: string;
  targetId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

export function actorOf(principal: Principal): AuditActor {
  return { type: principal.type, id: principal.id, label: principal.label };
}

/** Snapshots are the public representation of the object, redacted again in case a secret slipped in. */
function snapshot(value: unknown): unknown {
  return value === undefined ? null : redact(value);
}

export function auditStatement(db: Db, actor: AuditActor, change: AuditChange, meta: AuditMeta = {}, at = Date.now()) {
  return db.insert(auditLog).values({
    tenantId: change.tenantId,
    at,
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    action: change.action,
    targetType: change.targetType,
    targetId: change.targetId === undefined || change.targetId === null ? null : String(change.targetId),
    before: snapshot(change.before),
    after: snapshot(change.after),
    requestId: meta.requestId ?? null,
    source: meta.source ?? null,
  });
}

/** The request facts every audit entry carries. */
export function auditMeta(c: { get(key: "requestId"): string; get(key: "source"): string }): AuditMeta {
  return { requestId: c.get("requestId"), source: c.get("source") };
}
