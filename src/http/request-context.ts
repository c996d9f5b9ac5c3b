import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { makeDb } from "../db/client";
import { log } from "../logging";
import { recordRequest } from "../metrics";
import { Envelope } from "../security/envelope";
import { newId } from "../security/tokens";
import { ConnectionLimiter } from "../upstream/limiter";

/** Request id, source address, per-request services, and the one log line per request. */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  const requestId = c.req.header("x-request-id")?.slice(0, 64).replace(/[^A-Za-z0-9._-]/g, "") || newId(12);
  c.set("requestId", requestId);
  c.set("source", c.req.header(c.env.CLIENT_IP_HEADER || "CF-Connecting-IP") ?? "unknown");
  const db = makeDb(c.env.DB);
  c.set("services", { db, envelope: new Envelope(db, c.env), upstream: new ConnectionLimiter(), now: Date.now });
  try {
    await next();
  } finally {
    c.header("X-Request-Id", requestId);
    const principal = c.get("principal");
    recordRequest(c.req.method, c.req.routePath, c.res.status, Date.now() - started);
    log(c.res.status >= 500 ? "error" : "info", "request", {
      request_id: requestId,
      method: c.req.method,
      route: c.req.routePath,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      duration_ms: Date.now() - started,
      tenant: principal?.tenantId,
      principal: principal ? `${principal.type}:${principal.id}` : undefined,
      source: c.get("source"),
    });
  }
});
