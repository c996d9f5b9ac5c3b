import { fromBase64Url, randomBytes, timingSafeEqual, toBase64Url, utf8 } from "./encoding";

/**
 * Production Workers reject PBKDF2 above 100,000 iterations (local workerd does not), so this is both
 * the strongest native setting and a hard ceiling; a unit test guards it.
 */
export const PBKDF2_ITERATIONS = 100_000;
export const WORKERS_PBKDF2_CEILING = 100_000;
const SCHEME = "pbkdf2-sha256";

async function peppered(password: string, pepper: string): Promise<Uint8Array> {
  // HMAC with the pepper first, so a stolen database alone cannot be brute-forced offline.
  const key = await crypto.subtle.importKey("raw", utf8.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8.encode(password.normalize("NFKC"))));
}

async function derive(password: string, pepper: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const material = await crypto.subtle.importKey("raw", await peppered(password, pepper), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, 256);
  return new Uint8Array(bits);
}

/** Returns a self-describing hash: `pbkdf2-sha256$<iterations>$<salt>$<hash>`. */
export async function hashPassword(password: string, pepper: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, pepper, salt, PBKDF2_ITERATIONS);
  return `${SCHEME}$${PBKDF2_ITERATIONS}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

export async function verifyPassword(password: string, stored: string, pepper: string): Promise<boolean> {
  const [scheme, iterText, saltText, hashText] = stored.split("$");
  const iterations = Number(iterText);
  if (scheme !== SCHEME || !saltText || !hashText) return false;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > WORKERS_PBKDF2_CEILING) return false;
  const hash = await derive(password, pepper, fromBase64Url(saltText), iterations);
  return timingSafeEqual(toBase64Url(hash), hashText);
}

export const PASSWORD_MIN_LENGTH = 12;

/** Returns why a new password is unacceptable, or null. */
export function passwordWeakness(password: string, username?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > 1024) return "must be at most 1024 characters";
  if (username && password.toLowerCase().includes(username.toLowerCase())) return "must not contain the username";
  if (new Set(password).size < 5) return "must use at least 5 different characters";
  return null;
}
