import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { corsOrigins } from "../env";

const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/** The Swagger UI page loads its script and styles from a CDN, so it gets a wider policy than the API. */
const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; frame-ancestors 'none'";

const CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
const CORS_HEADERS = "Authorization, Content-Type, X-CSRF-Token, X-Request-Id, X-Outpost-Tenant";

function applyHeaders(headers: Headers, path: string, origin: string | undefined, allowed: boolean): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
  if (path === "/docs") headers.set("Content-Security-Policy", DOCS_CSP);
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  if (allowed && origin) {
    headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Access-Control-Allow-Credentials", "true");
    headers.set("Access-Control-Allow-Methods", CORS_METHODS);
    headers.set("Access-Control-Allow-Headers", CORS_HEADERS);
    headers.set("Access-Control-Expose-Headers", "X-Request-Id, Retry-After");
    headers.set("Access-Control-Max-Age", "600");
    headers.append("Vary", "Origin");
  }
}

/** Security headers on every response, and CORS only for origins in `CORS_ORIGINS`. */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header("origin");
  const allowed = origin !== undefined && corsOrigins(c.env).includes(origin);
  const path = new URL(c.req.url).pathname;
  if (c.req.method === "OPTIONS" && origin !== undefined && c.req.header("access-control-request-method")) {
    const res = c.body(null, allowed ? 204 : 403);
    applyHeaders(res.headers, path, origin, allowed);
    return res;
  }
  await next();
  // Responses passed through from a Durable Object or fetch have immutable headers; copy them first.
  c.res = new Response(c.res.body, c.res);
  applyHeaders(c.res.headers, path, origin, allowed);
});
