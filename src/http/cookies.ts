import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ACCESS_TOKEN_TTL_S } from "../security/jwt";
import { REFRESH_TOKEN_TTL_S } from "../services/sessions";

export const ACCESS_COOKIE = "outpost_access";
export const REFRESH_COOKIE = "outpost_refresh";
/** Readable by the page's script, which echoes it in `X-CSRF-Token` (double-submit). */
export const CSRF_COOKIE = "outpost_csrf";
export const CSRF_HEADER = "X-CSRF-Token";

const REFRESH_PATH = "/api/v1/auth";

export function setSessionCookies(c: Context, tokens: { accessToken: string; refreshToken: string; csrfToken: string }): void {
  setCookie(c, ACCESS_COOKIE, tokens.accessToken, { httpOnly: true, secure: true, sameSite: "Lax", path: "/", maxAge: ACCESS_TOKEN_TTL_S });
  setCookie(c, REFRESH_COOKIE, tokens.refreshToken, { httpOnly: true, secure: true, sameSite: "Strict", path: REFRESH_PATH, maxAge: REFRESH_TOKEN_TTL_S });
  setCookie(c, CSRF_COOKIE, tokens.csrfToken, { httpOnly: false, secure: true, sameSite: "Strict", path: "/", maxAge: REFRESH_TOKEN_TTL_S });
}

export function clearSessionCookies(c: Context): void {
  deleteCookie(c, ACCESS_COOKIE, { path: "/", secure: true });
  deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_PATH, secure: true });
  deleteCookie(c, CSRF_COOKIE, { path: "/", secure: true });
}

export function readCookie(c: Context, name: string): string | undefined {
  return getCookie(c, name);
}
