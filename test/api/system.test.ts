import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import type { AppBindings } from "../../src/env";
import { VERSION } from "../../src/version";
import { BASE, call, json, loginAdmin, userWithRole, type Session } from "../helpers/api";

let admin: Session;
beforeAll(async () => {
  admin = await loginAdmin();
});

describe("GET /version", () => {
  it("happy: the package version for any signed-in principal", async () => {
    const viewer = await userWithRole(admin.access_token, "viewer");
    expect(await json(await call("/version", { token: viewer.access_token }), 200)).toEqual({ version: VERSION });
  });
  it("security: needs credentials", async () => {
    expect((await call("/version")).status).toBe(401);
  });
});

describe("GET /metrics", () => {
  it("happy: Prometheus text for an admin and for an API key of any role", async () => {
    const res = await call("/metrics", { token: admin.access_token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/# TYPE outpost_http_requests_total counter/);
    expect(text).toMatch(/outpost_users\{role="super_admin"\} \d+/);
    const key = (await json(await call("/api/v1/api-keys", { token: admin.access_token, body: { name: "prom", role: "viewer" } }), 201)).key;
    expect((await call("/metrics", { token: key })).status).toBe(200);
  });
  it("security: a viewer signed in as a person is refused", async () => {
    const viewer = await userWithRole(admin.access_token, "viewer");
    expect((await call("/metrics", { token: viewer.access_token })).status).toBe(403);
  });
});

describe("OpenAPI and docs", () => {
  it("serves an OpenAPI 3.1 document covering every API route, without authentication", async () => {
    const doc = await json(await call("/openapi.json"), 200);
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`)));
    const routed = buildApp()
      .routes.filter((r) => r.method !== "ALL" && r.path !== "*" && !["/openapi.json", "/docs"].includes(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`);
    for (const r of routed) expect(documented, r).toContain(r);
  });
  it("serves Swagger UI at /docs", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("swagger-ui");
  });
});

describe("HTTP hygiene", () => {
  it("sets security headers on success, error and 404 responses alike", async () => {
    for (const res of [await call("/health"), await call("/api/v1/endpoints"), await call("/nope", { token: admin.access_token })]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=/);
      expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get("x-request-id")).toBeTruthy();
    }
  });

  it("answers an unknown route with the one error shape", async () => {
    expect(await json(await call("/api/v1/nope", { token: admin.access_token }), 404)).toMatchObject({ error: { code: "not_found" } });
  });

  it("rejects oversized bodies with 413", async () => {
    const res = await call("/api/v1/auth/login", { body: JSON.stringify({ username: "a", password: "x".repeat(1_100_000) }) });
    expect(res.status).toBe(413);
  });

  it("allows CORS only for configured origins", async () => {
    const app = buildApp();
    const cors = { ...env, CORS_ORIGINS: "https://ops.example.com" } as AppBindings;
    const preflight = (origin: string) =>
      app.fetch(new Request(`${BASE}/api/v1/endpoints`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET" } }), cors, createExecutionContext());
    const ok = await preflight("https://ops.example.com");
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://ops.example.com");
    expect(ok.headers.get("access-control-allow-credentials")).toBe("true");
    const evil = await preflight("https://evil.example.com");
    expect(evil.status).toBe(403);
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
  });
});
