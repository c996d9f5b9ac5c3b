import { createRoute, z } from "@hono/zod-openapi";
import { and, count, eq, gt, isNull, or } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { App, AppEnv } from "../../context";
import { apiKeys, authFailures, endpoints, users } from "../../db/schema";
import { forbidden } from "../../errors";
import { renderMetrics, type Gauge } from "../../metrics";
import { LOCKOUT_THRESHOLD, LOCKOUT_WINDOW_MS } from "../../security/lockout";
import { roleAtLeast } from "../../security/roles";
import { errorResponses } from "../openapi";

/** Scrapers use API keys of any role; people need the admin role. */
const adminOrApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.get("principal");
  if (p.type !== "api_key" && !roleAtLeast(p.role, "admin")) throw forbidden("Metrics need the admin role or an API key");
  return next();
});

const route = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["system"],
  summary: "Prometheus metrics (admin or API key)",
  middleware: [adminOrApiKey],
  responses: { 200: { description: "Prometheus text format", content: { "text/plain": { schema: z.string() } } }, ...errorResponses() },
});

export function registerMetrics(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    const tenantId = c.get("principal").tenantId;
    const [byKind, byRole, keys, locked] = await Promise.all([
      db.select({ kind: endpoints.kind, enabled: endpoints.enabled, n: count() }).from(endpoints).where(eq(endpoints.tenantId, tenantId)).groupBy(endpoints.kind, endpoints.enabled).all(),
      db.select({ role: users.role, n: count() }).from(users).where(eq(users.tenantId, tenantId)).groupBy(users.role).all(),
      db
        .select({ n: count() })
        .from(apiKeys)
        .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now()))))
        .get(),
      db
        .select({ n: count() })
        .from(authFailures)
        .where(and(eq(authFailures.tenantId, tenantId), gt(authFailures.count, LOCKOUT_THRESHOLD - 1), gt(authFailures.lastAt, now() - LOCKOUT_WINDOW_MS)))
        .get(),
    ]);
    const gauges: Gauge[] = [
      {
        name: "outpost_endpoints",
        help: "Registered endpoints by kind and state",
        samples: byKind.map((r) => ({ labels: { kind: r.kind, enabled: String(r.enabled) }, value: r.n })),
      },
      { name: "outpost_users", help: "Users by role", samples: byRole.map((r) => ({ labels: { role: r.role }, value: r.n })) },
      { name: "outpost_api_keys_active", help: "API keys that are neither revoked nor expired", samples: [{ labels: {}, value: keys?.n ?? 0 }] },
      { name: "outpost_lockouts_active", help: "(credential × source) pairs locked right now", samples: [{ labels: {}, value: locked?.n ?? 0 }] },
    ];
    return c.text(renderMetrics(gauges), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });
}
