/**
 * Resolved principals, cached per isolate for a few seconds so a steady stream of requests with one token does
 * not query D1 for the same user on every call. Changes made through this isolate (sign-out, disabling a user,
 * revoking a key, disabling a tenant) evict at once; other isolates see them within PRINCIPAL_CACHE_TTL_MS.
 */
import { TtlCache } from "../cache/ttl-cache";
import type { Principal } from "../context";

export const PRINCIPAL_CACHE_TTL_MS = 10_000;

const cache = new TtlCache<Principal>(PRINCIPAL_CACHE_TTL_MS);

export const principalCache = {
  get: (key: string, now: number) => cache.get(key, now),
  set: (key: string, principal: Principal, now: number, notAfter?: number) => cache.set(key, principal, now, notAfter),
  forgetSession: (sessionId: string) => cache.deleteWhere((p) => p.sessionId === sessionId),
  forgetUser: (userId: number) => cache.deleteWhere((p) => p.type === "user" && p.id === userId),
  forgetApiKey: (keyId: number) => cache.deleteWhere((p) => p.type === "api_key" && p.id === keyId),
  forgetTenant: (tenantId: number) => cache.deleteWhere((p) => p.homeTenantId === tenantId),
};
