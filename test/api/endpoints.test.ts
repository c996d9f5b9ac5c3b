import { beforeAll, describe, expect, it } from "vitest";
import { call, json, loginAdmin, PROXMOX_ENDPOINT, userWithRole, type Session } from "../helpers/api";

let admin: Session;
beforeAll(async () => {
  admin = await loginAdmin();
});

const NETBOX = {
  kind: "netbox",
  name: "nb",
  host: "netbox.lab",
  base_path: "/netbox",
  credentials: { type: "token_v2", key: "abcdEFGH1234", secret: "s".repeat(40) },
  site: "lab-1",
};
const ROUTER = { kind: "routeros", name: "edge-1", host: "10.0.0.1", credentials: { type: "password", username: "poll", password: "router-pass-1" } };

const create = (body: unknown, token = admin.access_token) => call("/api/v1/endpoints", { token, body });

describe("POST /api/v1/endpoints", () => {
  it("happy: registers each kind with defaults, never returning secrets", async () => {
    const pve = await json(await create({ ...PROXMOX_ENDPOINT, name: "pve-happy" }), 201);
    expect(pve).toMatchObject({ kind: "proxmox", port: 8006, transport: { mode: "direct" }, credentials: { type: "token", identity: "root@pam!outpost" }, retries: 2 });
    const nb = await json(await create(NETBOX), 201);
    expect(nb).toMatchObject({ port: 443, base_path: "/netbox", credentials: { type: "token_v2", identity: "nbt_abcdEFGH1234" } });
    const r = await json(await create({ ...ROUTER, transport: { mode: "access", client_id: "abc.access", client_secret: "access-secret-value" } }), 201);
    expect(r.transport).toEqual({ mode: "access", client_id: "abc.access" });
    const all = JSON.stringify([pve, nb, r]);
    for (const secret of [PROXMOX_ENDPOINT.credentials.secret, NETBOX.credentials.secret, ROUTER.credentials.password, "access-secret-value"]) {
      expect(all).not.toContain(secret);
    }
  });

  it("error: credentials of the wrong kind, a bad host, an unknown field or a bad port are 400 naming the field", async () => {
    const wrongKind = await json(await create({ ...PROXMOX_ENDPOINT, name: "x1", credentials: NETBOX.credentials }), 400);
    expect(wrongKind.error.code).toBe("validation_failed");
    const host = await json(await create({ ...PROXMOX_ENDPOINT, name: "x2", host: "https://pve:8006/" }), 400);
    expect(host.error.details.issues[0].field).toBe("json.host");
    expect((await create({ ...PROXMOX_ENDPOINT, name: "x3", password: "x" })).status).toBe(400);
    const port = await json(await create({ ...PROXMOX_ENDPOINT, name: "x4", port: 70000 }), 400);
    expect(port.error.details.issues[0].field).toBe("json.port");
    const token = await json(await create({ ...PROXMOX_ENDPOINT, name: "x5", credentials: { type: "token", token_id: "root", secret: "s" } }), 400);
    expect(token.error.message).toMatch(/user@realm!tokenname/);
  });

  it("error: refuses verify_tls=false on a direct https URL (a Worker cannot skip certificate checks)", async () => {
    const body = await json(await create({ ...PROXMOX_ENDPOINT, name: "self-signed", scheme: "https", verify_tls: false }), 400);
    expect(body.error.message).toMatch(/vpc|access/);
    await json(await create({ ...PROXMOX_ENDPOINT, name: "self-signed-vpc", scheme: "https", verify_tls: false, transport: { mode: "vpc", binding: "PVE_LAB" } }), 201);
  });

  it("error: a duplicate name of the same kind is 409", async () => {
    await json(await create({ ...PROXMOX_ENDPOINT, name: "dupe" }), 201);
    expect((await create({ ...PROXMOX_ENDPOINT, name: "dupe" })).status).toBe(409);
    await json(await create({ ...ROUTER, name: "dupe" }), 201);
  });

  it("security: operators and viewers cannot register endpoints; the audit entry holds no secret", async () => {
    const operator = await userWithRole(admin.access_token, "operator");
    expect((await create({ ...PROXMOX_ENDPOINT, name: "op" }, operator.access_token)).status).toBe(403);
    const created = await json(await create({ ...PROXMOX_ENDPOINT, name: "audited" }), 201);
    const audit = await json(await call(`/api/v1/audit?action=endpoint.create&target_id=${created.id}`, { token: admin.access_token }), 200);
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0].actor.label).toBe(admin.user.username);
    expect(JSON.stringify(audit)).not.toContain(PROXMOX_ENDPOINT.credentials.secret);
  });
});

describe("GET /api/v1/endpoints and /endpoints/:id", () => {
  it("happy: lists with filters and reads one", async () => {
    const a = await json(await create({ ...ROUTER, name: "site-a-1", site: "site-a" }), 201);
    await json(await create({ ...ROUTER, name: "site-b-1", site: "site-b", enabled: false }), 201);
    const bySite = await json(await call("/api/v1/endpoints?site=site-a&kind=routeros", { token: admin.access_token }), 200);
    expect(bySite.endpoints.map((e: any) => e.id)).toEqual([a.id]);
    const disabled = await json(await call("/api/v1/endpoints?enabled=false", { token: admin.access_token }), 200);
    expect(disabled.endpoints.every((e: any) => e.enabled === false)).toBe(true);
    expect((await json(await call(`/api/v1/endpoints/${a.id}`, { token: admin.access_token }), 200)).name).toBe("site-a-1");
  });

  it("error: unknown kind filter 400, unknown id 404", async () => {
    expect((await call("/api/v1/endpoints?kind=vmware", { token: admin.access_token })).status).toBe(400);
    expect((await call("/api/v1/endpoints/99999", { token: admin.access_token })).status).toBe(404);
  });

  it("security: a viewer can read but sees no secret", async () => {
    const viewer = await userWithRole(admin.access_token, "viewer");
    const list = await call("/api/v1/endpoints", { token: viewer.access_token });
    expect(list.status).toBe(200);
    expect(await list.text()).not.toContain(PROXMOX_ENDPOINT.credentials.secret);
  });
});

describe("PATCH /api/v1/endpoints/:id", () => {
  it("happy: updates fields and replaces credentials, auditing that they changed without their value", async () => {
    const e = await json(await create({ ...PROXMOX_ENDPOINT, name: "patch-me" }), 201);
    const updated = await json(
      await call(`/api/v1/endpoints/${e.id}`, {
        method: "PATCH",
        token: admin.access_token,
        body: { timeout_ms: 3000, credentials: { type: "password", username: "ops@pve", password: "new-secret-pw" } },
      }),
      200,
    );
    expect(updated).toMatchObject({ timeout_ms: 3000, credentials: { type: "password", identity: "ops@pve" } });
    const audit = await json(await call(`/api/v1/audit?action=endpoint.update&target_id=${e.id}`, { token: admin.access_token }), 200);
    expect(audit.entries[0].before.timeout_ms).toBe(10000);
    expect(audit.entries[0].after).toMatchObject({ timeout_ms: 3000, credentials_replaced: true });
    expect(JSON.stringify(audit)).not.toContain("new-secret-pw");
  });

  it("error: credentials that do not fit the endpoint's kind, or a rename onto another endpoint, fail and change nothing", async () => {
    const e = await json(await create({ ...PROXMOX_ENDPOINT, name: "keep-me" }), 201);
    await json(await create({ ...PROXMOX_ENDPOINT, name: "taken" }), 201);
    expect((await call(`/api/v1/endpoints/${e.id}`, { method: "PATCH", token: admin.access_token, body: { credentials: NETBOX.credentials } })).status).toBe(400);
    expect((await call(`/api/v1/endpoints/${e.id}`, { method: "PATCH", token: admin.access_token, body: { name: "taken" } })).status).toBe(409);
    const after = await json(await call(`/api/v1/endpoints/${e.id}`, { token: admin.access_token }), 200);
    expect(after).toMatchObject({ name: "keep-me", credentials: { type: "token" } });
  });

  it("security: an operator cannot change endpoints", async () => {
    const operator = await userWithRole(admin.access_token, "operator");
    expect((await call("/api/v1/endpoints/1", { method: "PATCH", token: operator.access_token, body: { name: "x" } })).status).toBe(403);
  });
});

describe("DELETE /api/v1/endpoints/:id", () => {
  it("happy: deletes", async () => {
    const e = await json(await create({ ...PROXMOX_ENDPOINT, name: "delete-me" }), 201);
    expect((await call(`/api/v1/endpoints/${e.id}`, { method: "DELETE", token: admin.access_token })).status).toBe(204);
    expect((await call(`/api/v1/endpoints/${e.id}`, { token: admin.access_token })).status).toBe(404);
  });

  it("error: unknown id 404", async () => {
    expect((await call("/api/v1/endpoints/77777", { method: "DELETE", token: admin.access_token })).status).toBe(404);
  });

  it("security: a viewer cannot delete", async () => {
    const viewer = await userWithRole(admin.access_token, "viewer");
    expect((await call("/api/v1/endpoints/1", { method: "DELETE", token: viewer.access_token })).status).toBe(403);
  });
});

describe("endpoint listing cache", () => {
  it("shows this instance's own writes at once, and serves other changes after the TTL or with Cache-Control: no-cache", async () => {
    const { env } = await import("cloudflare:workers");
    const before = await json(await call("/api/v1/endpoints?kind=netbox", { token: admin.access_token }), 200);
    const created = await json(await create({ ...NETBOX, name: "cache-1" }), 201);
    const after = await json(await call("/api/v1/endpoints?kind=netbox", { token: admin.access_token }), 200);
    expect(after.endpoints.length).toBe(before.endpoints.length + 1);
    // A change made elsewhere (another isolate): straight to D1, bypassing this instance's services.
    await env.DB.prepare("UPDATE endpoints SET name = 'renamed-elsewhere' WHERE id = ?").bind(created.id).run();
    const stale = await json(await call("/api/v1/endpoints?kind=netbox", { token: admin.access_token }), 200);
    expect(stale.endpoints.map((e: any) => e.name)).toContain("cache-1");
    const fresh = await json(await call("/api/v1/endpoints?kind=netbox", { token: admin.access_token, headers: { "cache-control": "no-cache" } }), 200);
    expect(fresh.endpoints.map((e: any) => e.name)).toContain("renamed-elsewhere");
  });
});
