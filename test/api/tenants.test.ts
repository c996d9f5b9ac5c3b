import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, json, loginAdmin, userWithRole, type Session } from "../helpers/api";

let root: Session;
beforeAll(async () => {
  root = await loginAdmin();
});

describe("tenants (super admin)", () => {
  it("happy: create, list, read, rename", async () => {
    const t = await createTenant(root.access_token, "acme");
    expect((await json(await call("/api/v1/tenants", { token: root.access_token }), 200)).tenants.map((x: any) => x.slug)).toContain("acme");
    expect((await json(await call(`/api/v1/tenants/${t.id}`, { token: root.access_token }), 200)).slug).toBe("acme");
    const renamed = await json(await call(`/api/v1/tenants/${t.id}`, { method: "PATCH", token: root.access_token, body: { name: "ACME Corp" } }), 200);
    expect(renamed.name).toBe("ACME Corp");
  });

  it("happy: disabling a tenant locks its users out; deleting it removes it", async () => {
    const t = await createTenant(root.access_token, "doomed");
    const member = await userWithRole(root.access_token, "admin", t.id);
    await json(await call(`/api/v1/tenants/${t.id}`, { method: "PATCH", token: root.access_token, body: { disabled: true } }), 200);
    expect((await call("/api/v1/auth/me", { token: member.access_token })).status).toBe(401);
    expect((await call(`/api/v1/tenants/${t.id}`, { method: "DELETE", token: root.access_token })).status).toBe(204);
    expect((await call(`/api/v1/tenants/${t.id}`, { token: root.access_token })).status).toBe(404);
    const audit = await json(await call("/api/v1/audit?action=tenant.delete", { token: root.access_token }), 200);
    expect(audit.entries[0].before.slug).toBe("doomed");
  });

  it("error: bad slug 400, duplicate slug 409, unknown id 404", async () => {
    expect((await call("/api/v1/tenants", { token: root.access_token, body: { slug: "Bad Slug", name: "x" } })).status).toBe(400);
    await createTenant(root.access_token, "dupe");
    expect((await call("/api/v1/tenants", { token: root.access_token, body: { slug: "dupe", name: "x" } })).status).toBe(409);
    expect((await call("/api/v1/tenants/31337", { token: root.access_token })).status).toBe(404);
  });

  it("security: admins are not super admins; nobody deletes or disables their own tenant", async () => {
    const admin = await userWithRole(root.access_token, "admin");
    expect((await call("/api/v1/tenants", { token: admin.access_token })).status).toBe(403);
    expect((await call("/api/v1/tenants", { token: admin.access_token, body: { slug: "nope", name: "x" } })).status).toBe(403);
    expect((await call(`/api/v1/tenants/${root.user.tenant_id}`, { method: "DELETE", token: root.access_token })).status).toBe(403);
    expect((await call(`/api/v1/tenants/${root.user.tenant_id}`, { method: "PATCH", token: root.access_token, body: { disabled: true } })).status).toBe(403);
  });
});
