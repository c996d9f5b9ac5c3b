import { randomBytes, sha256Hex, toBase64Url } from "./encoding";

export const API_KEY_PREFIX = "opk_";
const API_KEY_PATTERN = /^opk_[A-Za-z0-9_-]{43}$/;

/** A new API key: `opk_` + 32 random bytes (base64url). Only its SHA-256 is stored. */
export async function newApiKey(): Promise<{ key: string; hash: string; prefix: string }> {
  const key = API_KEY_PREFIX + toBase64Url(randomBytes(32));
  return { key, hash: await sha256Hex(key), prefix: key.slice(0, 12) };
}

export function looksLikeApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

/** Opaque refresh token (32 random bytes); stored as SHA-256. */
export async function newRefreshToken(): Promise<{ token: string; hash: string }> {
  const token = toBase64Url(randomBytes(32));
  return { token, hash: await sha256Hex(token) };
}

export function newId(bytes = 16): string {
  return toBase64Url(randomBytes(bytes));
}
