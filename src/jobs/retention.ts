/**
 * Daily cleanup: spent and expired refresh tokens, stale authentication failures, and audit entries past the
 * retention period. Bounded deletes, so a large backlog is worked off over several days instead of one long query.
 */
import { and, inArray, isNotNull, lt, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { auditLog, authFailures, refreshTokens } from "../db/schema";
import { LOCKOUT_WINDOW_MS } from "../security/lockout";

export const AUDIT_RETENTION_DAYS = 400;
const DAY_MS = 86_400_000;
const BATCH = 5_000;

export interface RetentionResult {
  refresh_tokens: number;
  auth_failures: number;
  audit_entries: number;
}

export async function runRetention(db: Db, now = Date.now()): Promise<RetentionResult> {
  // A rotated token must be kept while its family lives, so reuse can still be detected; expiry ends that need.
  const tokens = await db
    .delete(refreshTokens)
    .where(
      inArray(
        refreshTokens.id,
        db
          .select({ id: refreshTokens.id })
          .from(refreshTokens)
          .where(or(lt(refreshTokens.expiresAt, now), and(isNotNull(refreshTokens.revokedAt), lt(refreshTokens.revokedAt, now - DAY_MS))))
          .limit(BATCH),
      ),
    )
    .run();
  const failures = await db.delete(authFailures).where(lt(authFailures.lastAt, now - 2 * LOCKOUT_WINDOW_MS)).run();
  const audit = await db
    .delete(auditLog)
    .where(inArray(auditLog.id, db.select({ id: auditLog.id }).from(auditLog).where(lt(auditLog.at, now - AUDIT_RETENTION_DAYS * DAY_MS)).limit(BATCH)))
    .run();
  return {
    refresh_tokens: tokens.meta.changes ?? 0,
    auth_failures: failures.meta.changes ?? 0,
    audit_entries: audit.meta.changes ?? 0,
  };
}

