import { beforeAll, describe, expect, it } from "vitest";
import { call, json, loginAdmin, userWithRole, type Session } from "../helpers/api";

let admin: Session;
beforeAll(async () => {
  admin = await loginAdmin();
});

describe("POST /api/v1/api-keys", () => {
  it("happy: shows the key once; it authenticates with its role", async () => {
    const created = await json(await call("/api/v1/api-keys", { token: admin.access_token, body: { name: "ci", role: "viewer" } }), 201);
    expect(created.key).toMatch(/^opk_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    const me = await json(await call("/api/v1/auth/me", { token: created.key }), 200);
    expect(me).toMatchObject({ type: "api_key", role: "viewer", authenticated_via: "api_key" });
    expect((await call("/api/v1/endpoints", { token: created.key, body: {} })).status).toBe(403);
    const list = await json(await call("/api/v1/api-keys", { token: admin.access_token }), 200);
    expect(JSON.stringify(list)).not.toContain(created.key);
  });

  it("error: past expiry and missing name are 400", async () => {
    expect((await call("/api/v1/api-keys", { token: admin.access_token, body: { name: "old", role: "viewer", expires_at: 1 } })).status).toBe(400);
    expect((await call("/api/v1/api-keys", { token: admin.access_token, body: { role: "viewer" } })).status).toBe(400);
  });

  it("security: no key above the creator's role; expired keys stop working", async () => {
    const tenantAdmin = await userWithRole(admin.access_token, "admin");
    expect((await call("/api/v1/api-keys", { token: tenantAdmin.access_token, body: { name: "x", role: "super_admin" } })).status).toBe(403);
    const soon = Date.now() + 50;
    const created = await json(await call("/api/v1/api-keys", { token: admin.access_token, body: { name: "short-lived", role: "viewer", expires_at: soon } }), 201);
    await new Promise((r) => setTimeout(r, 80));
    expect((await call("/api/v1/auth/me", { token: created.key })).status).toBe(401);
  });
});

describe("GET /api/v1/api-keys", () => {
  it("happy: lists keys with prefix and last use", async () => {
    const created = await json(await call("/api/v1/api-keys", { token: admin.access_token, body: { name: "lister", role: "operator" } }), 201);
    await call("/api/v1/auth/me", { token: created.key });
    const list = await json(await call("/api/v1/api-keys", { token: admin.access_token }), 200);
    const row = list.api_keys.find((k: any) => k.id === created.id);
    expect(row).toMatchObject({ name: "lister", role: "operator", revoked_at: null });
  });

  it("security: operators may not list keys", async () => {
    const operator = await userWithRole(admin.access_token, "operator");
    expect((await call("/api/v1/api-keys", { token: operator.access_token })).status).toBe(403);
  });
});

describe("DELETE /api/v1/api-keys/:id", () => {
  it("happy: revoked keys stop working at once", async () => {
    const created = await json(await call("/api/v1/api-keys", { token: admin.access_token, body: { name: "revoke-me", role: "viewer" } }), 201);
    expect((await call(`/api/v1/api-keys/${created.id}`, { method: "DELETE", token: admin.access_token })).status).toBe(204);
    expect((await call("/api/v1/auth/me", { token: created.key })).status).toBe(401);
  });

  it("error: unknown key 404", async () => {
    expect((await call("/api/v1/api-keys/987654", { method: "DELETE", token: admin.access_token })).status).toBe(404);
  });

  it("security: a viewer cannot revoke", async () => {
    const viewer = await userWithRole(admin.access_token, "viewer");
    expect((await call("/api/v1/api-keys/1", { method: "DELETE", token: viewer.access_token })).status).toBe(403);
  });
});
