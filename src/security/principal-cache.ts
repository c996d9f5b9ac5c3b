/**
 * A short-lived, per-isolate cache of resolved principals, so a steady stream of requests with one token does
 * not query D1 for the same user on every call. Changes made through this isolate (sign-out, disabling a user,
 * revoking a key, disabling a tenant) evict at once; other isolates see them within TTL_MS.
 */
import type { Principal } from "../context";

export const PRINCIPAL_CACHE_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal;
  expiresAt: number;
}

class PrincipalCache {
  private readonly entries = new Map<string, Entry>();

  get(key: string, now: number): Principal | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  /** `notAfter` caps the entry's life, e.g. at an API key's own expiry. */
  set(key: string, principal: Principal, now: number, notAfter = Infinity): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { principal, expiresAt: Math.min(now + PRINCIPAL_CACHE_TTL_MS, notAfter) });
  }

  private forgetWhere(match: (p: Principal) => boolean): void {
    for (const [key, entry] of this.entries) if (match(entry.principal)) this.entries.delete(key);
  }

  forgetSession(sessionId: string): void {
    this.forgetWhere((p) => p.sessionId === sessionId);
  }

  forgetUser(userId: number): void {
    this.forgetWhere((p) => p.type === "user" && p.id === userId);
  }

  forgetApiKey(keyId: number): void {
    this.forgetWhere((p) => p.type === "api_key" && p.id === keyId);
  }

  forgetTenant(tenantId: number): void {
    this.forgetWhere((p) => p.homeTenantId === tenantId);
  }
}

export const principalCache = new PrincipalCache();
