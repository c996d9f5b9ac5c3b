/**
 * Browser and API sessions: a short access JWT plus a rotating refresh token. Refresh tokens are stored as
 * hashes; each rotation marks the old one used, and presenting a used token again revokes its whole family
 * (the sign of a stolen token being replayed).
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { refreshTokens, type User } from "../db/schema";
import { ApiError } from "../errors";
import { sha256Hex } from "../security/encoding";
import { signAccessToken } from "../security/jwt";
import { principalCache } from "../security/principal-cache";
import { newId, newRefreshToken } from "../security/tokens";

export const REFRESH_TOKEN_TTL_S = 7 * 24 * 3600;

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  csrfToken: string;
  sessionId: string;
  expiresIn: number;
}

async function issue(db: Db, user: User, jwtSecret: string, familyId: string, now: number): Promise<IssuedSession> {
  const { token, hash } = await newRefreshToken();
  await db.insert(refreshTokens).values({
    tenantId: user.tenantId,
    userId: user.id,
    familyId,
    tokenHash: hash,
    expiresAt: now + REFRESH_TOKEN_TTL_S * 1000,
    createdAt: now,
  });
  const accessToken = await signAccessToken({ sub: String(user.id), tid: user.tenantId, role: user.role, sid: familyId }, jwtSecret, Math.floor(now / 1000));
  return { accessToken, refreshToken: token, csrfToken: newId(24), sessionId: familyId, expiresIn: 15 * 60 };
}

export function startSession(db: Db, user: User, jwtSecret: string, now = Date.now()): Promise<IssuedSession> {
  return issue(db, user, jwtSecret, newId(16), now);
}

export async function revokeFamily(db: Db, familyId: string, now = Date.now()): Promise<void> {
  principalCache.forgetSession(familyId);
  await db.update(refreshTokens).set({ revokedAt: now }).where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

const invalidRefresh = (message: string) => new ApiError(401, "unauthorized", message);

/** Exchanges a refresh token for a new pair. `loadUser` returns the active user or null. */
export async function rotateSession(
  db: Db,
  presented: string,
  jwtSecret: string,
  loadUser: (userId: number) => Promise<User | null>,
  now = Date.now(),
): Promise<{ session: IssuedSession; user: User }> {
  const row = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, await sha256Hex(presented))).get();
  if (!row) throw invalidRefresh("Refresh token is not valid");
  if (row.revokedAt !== null) throw invalidRefresh("This session has been signed out");
  if (row.rotatedAt !== null) {
    await revokeFamily(db, row.familyId, now);
    throw invalidRefresh("Refresh token was already used; the session has been revoked for safety");
  }
  if (row.expiresAt <= now) throw invalidRefresh("Refresh token has expired; sign in again");
  const user = await loadUser(row.userId);
  if (!user) throw invalidRefresh("The account is disabled or no longer exists");
  // Conditional on not yet rotated: of two concurrent refreshes with one token, exactly one wins.
  const marked = await db
    .update(refreshTokens)
    .set({ rotatedAt: now })
    .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.rotatedAt)))
    .run();
  if ((marked.meta.changes ?? 0) !== 1) {
    await revokeFamily(db, row.familyId, now);
    throw invalidRefresh("Refresh token was already used; the session has been revoked for safety");
  }
  return { session: await issue(db, user, jwtSecret, row.familyId, now), user };
}

export async function familyOfRefreshToken(db: Db, presented: string): Promise<string | null> {
  const row = await db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await sha256Hex(presented)))
    .get();
  return row?.familyId ?? null;
}
