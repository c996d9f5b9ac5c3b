import { sign, verify } from "hono/jwt";
import { JwtTokenExpired } from "hono/utils/jwt/types";
import type { Role } from "../db/schema";

export const ACCESS_TOKEN_TTL_S = 15 * 60;
const ISSUER = "outpost";
const AUDIENCE = "outpost-api";

export interface AccessClaims {
  sub: string;
  tid: number;
  role: Role;
  /** Refresh-token family: revoking it ends every access token issued in that session. */
  sid: string;
}

export async function signAccessToken(claims: AccessClaims, secret: string, nowS = Math.floor(Date.now() / 1000)): Promise<string> {
  return sign({ ...claims, typ: "access", iss: ISSUER, aud: AUDIENCE, iat: nowS, exp: nowS + ACCESS_TOKEN_TTL_S }, secret, "HS256");
}

export type AccessTokenResult = { ok: true; claims: AccessClaims } | { ok: false; reason: "expired" | "invalid" };

export async function verifyAccessToken(token: string, secret: string): Promise<AccessTokenResult> {
  try {
    const payload = await verify(token, secret, { alg: "HS256", iss: ISSUER, aud: AUDIENCE });
    if (payload.typ !== "access" || typeof payload.sub !== "string" || typeof payload.tid !== "number" || typeof payload.sid !== "string") {
      return { ok: false, reason: "invalid" };
    }
    return { ok: true, claims: { sub: payload.sub, tid: payload.tid, role: payload.role as Role, sid: payload.sid } };
  } catch (err) {
    return { ok: false, reason: err instanceof JwtTokenExpired ? "expired" : "invalid" };
  }
}

export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
}
