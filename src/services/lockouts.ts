/** Admin view of authentication failures: list them, and clear one or all to lift a lockout. */
import { and, eq, type SQL } from "drizzle-orm";
import type { Principal } from "../context";
import type { Db } from "../db/client";
import { authFailures, type AuthFailure } from "../db/schema";
import { notFound } from "../errors";
import { retryAfterSeconds } from "../security/lockout";
import { roleAtLeast } from "../security/roles";
import { actorOf, auditStatement, type AuditMeta } from "./audit";

/** A super admin acting in its home tenant also sees failures that matched no known credential. */
function scope(principal: Principal): SQL | undefined {
  const global = roleAtLeast(principal.role, "super_admin") && principal.tenantId === principal.homeTenantId;
  return global ? undefined : eq(authFailures.tenantId, principal.tenantId);
}

export function publicLockout(row: AuthFailure, now: number) {
  const retryAfter = retryAfterSeconds(row, now);
  return {
    id: row.id,
    tenant_id: row.tenantId,
    kind: row.kind,
    label: row.label,
    source: row.source,
    failures: row.count,
    first_at: row.firstAt,
    last_at: row.lastAt,
    locked: retryAfter > 0,
    retry_after_seconds: retryAfter,
  };
}

export function listFailures(db: Db, principal: Principal): Promise<AuthFailure[]> {
  return db.select().from(authFailures).where(scope(principal)).orderBy(authFailures.lastAt).all();
}

export async function clearLockout(db: Db, principal: Principal, id: number, meta: AuditMeta, now: number): Promise<void> {
  const filter = scope(principal);
  const row = await db
    .select()
    .from(authFailures)
    .where(filter ? and(eq(authFailures.id, id), filter) : eq(authFailures.id, id))
    .get();
  if (!row) throw notFound("Lockout");
  await db.batch([
    db.delete(authFailures).where(eq(authFailures.id, id)),
    auditStatement(db, actorOf(principal), { tenantId: principal.tenantId, action: "lockout.clear", targetType: "lockout", targetId: id, before: publicLockout(row, now) }, meta, now),
  ]);
}

export async function clearAllLockouts(db: Db, principal: Principal, meta: AuditMeta, now: number): Promise<number> {
  const rows = await listFailures(db, principal);
  if (rows.length === 0) return 0;
  await db.batch([
    db.delete(authFailures).where(scope(principal)),
    auditStatement(db, actorOf(principal), { tenantId: principal.tenantId, action: "lockout.clear_all", targetType: "lockout", after: { cleared: rows.length } }, meta, now),
  ]);
  return rows.length;
}
