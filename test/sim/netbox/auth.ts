/**
 * NetBox API tokens and authentication (`netbox/api/authentication.py`). From 4.5: `Token <40>` (v1) and
 * `Bearer nbt_<key>.<token>` (v2), the version chosen by the `nbt_` prefix, with NetBox's messages; before 4.5,
 * DRF's `TokenAuthentication` (only the `Token` keyword, its own header messages, "Invalid token"). Every
 * failure is a 403 `{"detail": …}` because NetBox's authenticator declares no `WWW-Authenticate` header.
 */
import type { Rng } from "../common/rng";
import { atLeast, type NetboxVersion } from "./version";

export interface SimToken {
  version: 1 | 2;
  /** v2 only: the 12-character key. */
  key?: string;
  /** The 40-character plaintext (v1) or secret (v2). */
  plaintext: string;
  writeEnabled: boolean;
  enabled: boolean;
  /** Expiry in ms since the epoch, or null. */
  expires: number | null;
  user: string;
}

export type AuthResult = { kind: "user"; token: SimToken } | { kind: "anonymous" } | { kind: "failed"; detail: string };

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomAlnum(rng: Rng, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALNUM[rng.int(0, ALNUM.length - 1)];
  return out;
}

export const NOT_PROVIDED = "Authentication credentials were not provided.";
export const NO_PERMISSION = "You do not have permission to perform this action.";

export class TokenStore {
  private readonly tokens: SimToken[] = [];

  constructor(private readonly version: NetboxVersion) {}

  add(token: SimToken): SimToken {
    if (token.version === 2 && !atLeast(this.version, "4.5")) throw new Error("v2 tokens exist from NetBox 4.5");
    this.tokens.push(token);
    return token;
  }

  /** Authenticates an `Authorization` header value at `nowMs`. */
  authenticate(header: string | null, nowMs: number): AuthResult {
    const parts = (header ?? "").trim().split(/\s+/).filter(Boolean);
    if (parts.length === 0) return { kind: "anonymous" };
    const keyword = parts[0]!.toLowerCase();
    return atLeast(this.version, "4.5") ? this.current(keyword, parts, nowMs) : this.legacy(keyword, parts, nowMs);
  }

  private current(keyword: string, parts: string[], nowMs: number): AuthResult {
    if (keyword !== "token" && keyword !== "bearer") return { kind: "anonymous" };
    if (parts.length !== 2) return { kind: "failed", detail: 'Invalid authorization header: Must be in the form "Bearer <key>.<token>" or "Token <token>"' };
    const value = parts[1]!;
    let token: SimToken | undefined;
    if (value.startsWith("nbt_")) {
      const rest = value.slice(4);
      const dot = rest.indexOf(".");
      if (dot < 0) {
        return { kind: "failed", detail: "Invalid authorization header: Could not parse key from v2 token. Did you mean to use 'Token' instead of 'Bearer'?" };
      }
      const key = rest.slice(0, dot);
      const plaintext = rest.slice(dot + 1);
      token = this.tokens.find((t) => t.version === 2 && t.key === key);
      // A known key with the wrong secret is reported exactly like an unknown key (no key enumeration).
      if (!token || token.plaintext !== plaintext) return { kind: "failed", detail: "Invalid v2 token" };
    } else {
      token = this.tokens.find((t) => t.version === 1 && t.plaintext === value);
      if (!token) return { kind: "failed", detail: "Invalid v1 token" };
    }
    if (!token.enabled) return { kind: "failed", detail: "Token disabled" };
    if (token.expires !== null && token.expires <= nowMs) return { kind: "failed", detail: "Token expired" };
    return { kind: "user", token };
  }

  private legacy(keyword: string, parts: string[], nowMs: number): AuthResult {
    if (keyword !== "token") return { kind: "anonymous" };
    if (parts.length === 1) return { kind: "failed", detail: "Invalid token header. No credentials provided." };
    if (parts.length > 2) return { kind: "failed", detail: "Invalid token header. Token string should not contain spaces." };
    const token = this.tokens.find((t) => t.version === 1 && t.plaintext === parts[1]);
    if (!token) return { kind: "failed", detail: "Invalid token" };
    if (token.expires !== null && token.expires <= nowMs) return { kind: "failed", detail: "Token expired" };
    return { kind: "user", token };
  }
}
