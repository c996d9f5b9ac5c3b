/**
 * Lockout of credential guessing: 5 failures per (credential fingerprint × source address) within 300 s lock that
 * pair for 300 s from the last failure. A wrong key from one client never locks a right key from the same host.
 * Counting is one conditional upsert, so concurrent failures cannot lose increments.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { authFailures, type AuthFailure } from "../db/schema";
import { sha256Hex } from "./encoding";

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_WINDOW_MS = 300_000;

export type FailureKind = AuthFailure["kind"];

export interface Attempt {
  kind: FailureKind;
  /** The secret-bearing credential (username for passwords, the token itself otherwise). */
  credential: string;
  /** A label admins may see (username, key prefix); never a secret. */
  label: string;
  source: string;
  tenantId?: number | null;
}

export async function fingerprintOf(kind: FailureKind, credential: string): Promise<string> {
  return sha256Hex(`${kind}:${kind === "password" ? credential.toLowerCase() : credential}`);
}

/** Seconds until the pair may try again, or 0 when it is not locked. */
export async function lockedFor(db: Db, attempt: Pick<Attempt, "kind" | "credential" | "source">, now = Date.now()): Promise<number> {
  const fingerprint = await fingerprintOf(attempt.kind, attempt.credential);
  const row = await db
    .select()
    .from(authFailures)
    .where(and(eq(authFailures.fingerprint, fingerprint), eq(authFailures.source, attempt.source)))
    .get();
  return row ? retryAfterSeconds(row, now) : 0;
}

export function retryAfterSeconds(row: Pick<AuthFailure, "count" | "lastAt">, now: number): number {
  if (row.count < LOCKOUT_THRESHOLD) return 0;
  const remaining = row.lastAt + LOCKOUT_WINDOW_MS - now;
  return remaining > 0 ? Math.ceil(remaining / 1000) : 0;
}

export async function recordFailure(db: Db, attempt: Attempt, now = Date.now()): Promise<AuthFailure> {
  const fingerprint = await fingerprintOf(attempt.kind, attempt.credential);
  const windowStart = now - LOCKOUT_WINDOW_MS;
  const [row] = await db
    .insert(authFailures)
    .values({
      fingerprint,
      source: attempt.source,
      kind: attempt.kind,
      label: attempt.label,
      tenantId: attempt.tenantId ?? null,
      count: 1,
      firstAt: now,
      lastAt: now,
    })
    .onConflictDoUpdate({
      target: [authFailures.fingerprint, authFailures.source],
      set: {
        count: sql`CASE WHEN ${authFailures.firstAt} < ${windowStart} THEN 1 ELSE ${authFailures.count} + 1 END`,
        firstAt: sql`CASE WHEN ${authFailures.firstAt} < ${windowStart} THEN ${now} ELSE ${authFailures.firstAt} END`,
        lastAt: now,
        tenantId: sql`COALESCE(${authFailures.tenantId}, excluded.tenant_id)`,
      },
    })
    .returning();
  if (!row) throw new Error("auth failure upsert returned nothing");
  return row;
}

export async function clearFailures(db: Db, attempt: Pick<Attempt, "kind" | "credential" | "source">): Promise<void> {
  const fingerprint = await fingerprintOf(attempt.kind, attempt.credential);
  await db.delete(authFailures).where(and(eq(authFailures.fingerprint, fingerprint), eq(authFailures.source, attempt.source)));
}

