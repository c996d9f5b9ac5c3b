/**
 * Resolves the caller from a bearer JWT, a bearer API key (`opk_…`) or the session cookie, and answers 401
 * for anything that is not a public route. Failed credentials count towards the lockout; a locked
 * (credential × source) pair gets 429 with Retry-After until the window passes.
 */
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { createMiddleware } from "hono/factory";
import type { AppContext, AppEnv, Principal } from "../context";
import { apiKeys, refreshTokens, tenants, users } from "../db/schema";
import { ApiError, unauthorized } from "../errors";
import { sha256Hex, timingSafeEqual } from "../security/encoding";
import { looksLikeJwt, verifyAccessToken } from "../security/jwt";
import { LOCKOUT_THRESHOLD, lockedFor, recordFailure, retryAfterSeconds, type FailureKind } from "../security/lockout";
import { principalCache } from "../security/principal-cache";
import { roleAtLeast } from "../security/roles";
import { looksLikeApiKey } from "../security/tokens";
import { ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER, readCookie } from "./cookies";
import { matches, PUBLIC_ROUTES } from "./public-routes";

const TENANT_HEADER = "X-Outpost-Tenant";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const API_KEY_TOUCH_INTERVAL_MS = 60_000;

/** A disabled tenant's users and keys stop working at once, whatever tokens they hold. */
const activeTenant = (column: AnySQLiteColumn) => sql`EXISTS (SELECT 1 FROM ${tenants} WHERE ${tenants.id} = ${column} AND ${tenants.disabled} = 0)`;

type Presented = { kind: "jwt" | "api_key"; value: string; via: Principal["via"] };

function presentedCredential(c: AppContext): Presented | null {
  const header = c.req.header("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized('Authorization header must be "Bearer <token>"');
    const value = match[1]!;
    return { kind: value.startsWith("opk_") ? "api_key" : "jwt", value, via: value.startsWith("opk_") ? "api_key" : "bearer" };
  }
  const cookie = readCookie(c, ACCESS_COOKIE);
  return cookie ? { kind: "jwt", value: cookie, via: "cookie" } : null;
}

export function lockedOut(retryAfter: number): ApiError {
  return new ApiError(429, "locked_out", "Too many failed authentication attempts; try again later", { retry_after_seconds: retryAfter }, {
    "Retry-After": String(retryAfter),
  });
}

/** Counts a failed credential and returns the error to send (429 once the pair is locked). */
export async function failedCredential(
  c: AppContext,
  kind: FailureKind,
  credential: string,
  label: string,
  message: string,
  tenantId: number | null = null,
): Promise<ApiError> {
  const { db, now } = c.get("services");
  const source = c.get("source");
  const current = await lockedFor(db, { kind, credential, source }, now());
  if (current > 0) return lockedOut(current);
  const row = await recordFailure(db, { kind, credential, label, source, tenantId }, now());
  const retryAfter = retryAfterSeconds(row, now());
  if (retryAfter > 0 && row.count > LOCKOUT_THRESHOLD) return lockedOut(retryAfter);
  return new ApiError(401, "unauthorized", message, { attempts_remaining: Math.max(0, LOCKOUT_THRESHOLD - row.count) }, {
    "WWW-Authenticate": 'Bearer realm="outpost"',
  });
}

async function principalFromJwt(c: AppContext, token: string, via: Principal["via"]): Promise<Principal> {
  const result = looksLikeJwt(token) ? await verifyAccessToken(token, c.env.JWT_SECRET) : ({ ok: false, reason: "invalid" } as const);
  if (!result.ok) {
    if (result.reason === "expired") throw new ApiError(401, "token_expired", "Access token has expired; refresh the session");
    throw await failedCredential(c, "token", token, "bearer token", "Access token is not valid");
  }
  const { db, now } = c.get("services");
  const { claims } = result;
  const cacheKey = `jwt:${claims.sub}:${claims.sid}:${via}`;
  const cached = principalCache.get(cacheKey, now());
  if (cached) return cached;
  // One query: the user must still be active, and the session family must not have been signed out.
  const user = await db
    .select()
    .from(users)
    .where(
      and(
        eq(users.id, Number(claims.sub)),
        eq(users.disabled, false),
        activeTenant(users.tenantId),
        sql`NOT EXISTS (SELECT 1 FROM ${refreshTokens} WHERE ${refreshTokens.familyId} = ${claims.sid} AND ${refreshTokens.revokedAt} IS NOT NULL)`,
      ),
    )
    .get();
  if (!user) throw unauthorized("The session has ended or the account is disabled");
  const principal: Principal = {
    type: "user",
    id: user.id,
    label: user.username,
    role: user.role,
    homeTenantId: user.tenantId,
    tenantId: user.tenantId,
    via,
    mustChangePassword: user.mustChangePassword,
    sessionId: claims.sid,
  };
  principalCache.set(cacheKey, principal, now());
  return principal;
}

async function principalFromApiKey(c: AppContext, key: string): Promise<Principal> {
  const label = key.slice(0, 12);
  if (!looksLikeApiKey(key)) throw await failedCredential(c, "api_key", key, label, "API key is not valid");
  const { db, now } = c.get("services");
  const hash = await sha256Hex(key);
  const cached = principalCache.get(`key:${hash}`, now());
  if (cached) return cached;
  const row = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now())), activeTenant(apiKeys.tenantId)))
    .get();
  if (!row || !timingSafeEqual(row.keyHash, hash)) throw await failedCredential(c, "api_key", key, label, "API key is not valid");
  if (row.lastUsedAt === null || now() - row.lastUsedAt > API_KEY_TOUCH_INTERVAL_MS) {
    c.executionCtx.waitUntil(db.update(apiKeys).set({ lastUsedAt: now() }).where(eq(apiKeys.id, row.id)).run().catch(() => undefined));
  }
  const principal: Principal = {
    type: "api_key",
    id: row.id,
    label: `${row.name} (${row.prefix}…)`,
    role: row.role,
    homeTenantId: row.tenantId,
    tenantId: row.tenantId,
    via: "api_key",
    mustChangePassword: false,
  };
  principalCache.set(`key:${hash}`, principal, now(), row.expiresAt ?? Infinity);
  return principal;
}

function checkCsrf(c: AppContext): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const cookie = readCookie(c, CSRF_COOKIE);
  const header = c.req.header(CSRF_HEADER);
  if (!cookie || !header || !timingSafeEqual(cookie, header)) {
    throw new ApiError(403, "csrf_failed", `Cookie-authenticated ${c.req.method} requests must send the ${CSRF_HEADER} header`);
  }
}

/** A super admin may act in another tenant by naming it in X-Outpost-Tenant; nobody else may. */
async function applyTenantOverride(c: AppContext, principal: Principal): Promise<Principal> {
  const requested = c.req.header(TENANT_HEADER);
  if (requested === undefined || requested === String(principal.homeTenantId)) return principal;
  if (principal.type !== "user" || !roleAtLeast(principal.role, "super_admin")) {
    throw new ApiError(403, "forbidden", `Only a super admin may act in another tenant (${TENANT_HEADER})`);
  }
  const id = Number(requested);
  const tenant = Number.isInteger(id) && id > 0 ? await c.get("services").db.select().from(tenants).where(eq(tenants.id, id)).get() : undefined;
  if (!tenant) throw new ApiError(400, "bad_request", `${TENANT_HEADER} names no tenant`);
  return { ...principal, tenantId: tenant.id };
}

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  if (matches(PUBLIC_ROUTES, c.req.method, c.req.path)) return next();
  const presented = presentedCredential(c);
  if (!presented) throw unauthorized();
  let principal =
    presented.kind === "api_key" ? await principalFromApiKey(c, presented.value) : await principalFromJwt(c, presented.value, presented.via);
  if (presented.via === "cookie") checkCsrf(c);
  principal = await applyTenantOverride(c, principal);
  c.set("principal", principal);
  return next();
});
