import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, json, loginAdmin, PROXMOX_ENDPOINT, userWithRole, type Session } from "../helpers/api";

describe("tenant isolation", () => {
  let superAdmin: Session;
  let adminA: Session;
  let adminB: Session;
  let endpointA: { id: number };

  beforeAll(async () => {
    superAdmin = await loginAdmin();
    const tenantA = await createTenant(superAdmin.access_token, "tenant-a");
    const tenantB = await createTenant(superAdmin.access_token, "tenant-b");
    adminA = await userWithRole(superAdmin.access_token, "admin", tenantA.id);
    adminB = await userWithRole(superAdmin.access_token, "admin", tenantB.id);
    endpointA = await json(await call("/api/v1/endpoints", { token: adminA.access_token, body: PROXMOX_ENDPOINT }), 201);
  });

  it("another tenant's endpoint answers 404 to every verb and is absent from lists", async () => {
    const t = adminB.access_token;
    expect((await call(`/api/v1/endpoints/${endpointA.id}`, { token: t })).status).toBe(404);
    expect((await call(`/api/v1/endpoints/${endpointA.id}`, { method: "PATCH", token: t, body: { name: "stolen" } })).status).toBe(404);
    expect((await call(`/api/v1/endpoints/${endpointA.id}`, { method: "DELETE", token: t })).status).toBe(404);
    expect((await call(`/api/v1/endpoints/${endpointA.id}/test`, { method: "POST", token: t })).status).toBe(404);
    expect((await json(await call("/api/v1/endpoints", { token: t }), 200)).endpoints).toEqual([]);
    const stillThere = await json(await call(`/api/v1/endpoints/${endpointA.id}`, { token: adminA.access_token }), 200);
    expect(stillThere.name).toBe(PROXMOX_ENDPOINT.name);
  });

  it("another tenant's users, keys and audit are invisible", async () => {
    const users = await json(await call("/api/v1/users", { token: adminB.access_token }), 200);
    expect(users.users.map((u: any) => u.id)).not.toContain(adminA.user.id);
    expect((await call(`/api/v1/users/${adminA.user.id}`, { token: adminB.access_token })).status).toBe(404);
    const audit = await json(await call("/api/v1/audit", { token: adminB.access_token }), 200);
    expect(audit.entries.filter((e: any) => e.action === "endpoint.create")).toEqual([]);
  });

  it("only a super admin may act in another tenant", async () => {
    const asB = { "x-outpost-tenant": String(adminA.user.tenant_id) };
    expect((await call("/api/v1/endpoints", { token: adminB.access_token, headers: asB })).status).toBe(403);
    const seen = await json(await call("/api/v1/endpoints", { token: superAdmin.access_token, headers: asB }), 200);
    expect(seen.endpoints.map((e: any) => e.id)).toEqual([endpointA.id]);
    expect((await call("/api/v1/endpoints", { token: superAdmin.access_token, headers: { "x-outpost-tenant": "999" } })).status).toBe(400);
  });

  it("an API key acts only in its own tenant", async () => {
    const created = await json(await call("/api/v1/api-keys", { token: adminB.access_token, body: { name: "ci", role: "viewer" } }), 201);
    expect((await json(await call("/api/v1/endpoints", { token: created.key }), 200)).endpoints).toEqual([]);
    expect((await call(`/api/v1/endpoints/${endpointA.id}`, { token: created.key })).status).toBe(404);
  });
});
