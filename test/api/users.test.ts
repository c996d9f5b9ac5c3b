import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, loginAdmin, userWithRole, type Session } from "../helpers/api";

let admin: Session;
beforeAll(async () => {
  admin = await loginAdmin();
});

const newUser = (over: Record<string, unknown> = {}) => ({
  username: `u${Math.random().toString(36).slice(2, 9)}`,
  password: "a long enough password 1",
  role: "operator",
  ...over,
});

describe("POST /api/v1/users", () => {
  it("happy: creates a user who must change the password at first login", async () => {
    const input = newUser({ display_name: "Ops", email: "ops@example.com" });
    const created = await json(await call("/api/v1/users", { token: admin.access_token, body: input }), 201);
    expect(created).toMatchObject({ username: input.username, role: "operator", must_change_password: true, disabled: false });
    expect(JSON.stringify(created)).not.toMatch(/password_hash|pbkdf2/);
    const s = await login(input.username, input.password);
    const blocked = await json(await call("/api/v1/endpoints", { token: s.access_token }), 403);
    expect(blocked.error.code).toBe("password_change_required");
    expect((await call("/api/v1/auth/password", { token: s.access_token, body: { current_password: input.password, new_password: "my very own passphrase" } })).status).toBe(204);
    expect((await call("/api/v1/endpoints", { token: s.access_token })).status).toBe(200);
  });

  it("error: weak password, duplicate username, unknown role and extra fields are 4xx naming the field", async () => {
    const weak = await json(await call("/api/v1/users", { token: admin.access_token, body: newUser({ password: "short" }) }), 400);
    expect(weak.error.details.issues[0].field).toBe("json.password");
    const input = newUser();
    await json(await call("/api/v1/users", { token: admin.access_token, body: input }), 201);
    expect((await call("/api/v1/users", { token: admin.access_token, body: input })).status).toBe(409);
    const role = await json(await call("/api/v1/users", { token: admin.access_token, body: newUser({ role: "root" }) }), 400);
    expect(role.error.details.issues[0].field).toBe("json.role");
    expect((await call("/api/v1/users", { token: admin.access_token, body: { ...newUser(), is_admin: true } })).status).toBe(400);
  });

  it("security: an admin cannot create a super admin; an operator cannot create users", async () => {
    const tenantAdmin = await userWithRole(admin.access_token, "admin");
    expect((await call("/api/v1/users", { token: tenantAdmin.access_token, body: newUser({ role: "super_admin" }) })).status).toBe(403);
    const operator = await userWithRole(admin.access_token, "operator");
    expect((await call("/api/v1/users", { token: operator.access_token, body: newUser() })).status).toBe(403);
  });
});

describe("GET /api/v1/users and /users/:id", () => {
  it("happy: lists and reads users of the tenant", async () => {
    const list = await json(await call("/api/v1/users", { token: admin.access_token }), 200);
    expect(list.users.length).toBeGreaterThan(0);
    const one = await json(await call(`/api/v1/users/${admin.user.id}`, { token: admin.access_token }), 200);
    expect(one.username).toBe(admin.user.username);
  });

  it("error: unknown id 404, malformed id 400", async () => {
    expect((await call("/api/v1/users/999999", { token: admin.access_token })).status).toBe(404);
    expect((await call("/api/v1/users/abc", { token: admin.access_token })).status).toBe(400);
  });

  it("security: an operator may not list users", async () => {
    const operator = await userWithRole(admin.access_token, "operator");
    expect((await call("/api/v1/users", { token: operator.access_token })).status).toBe(403);
  });
});

describe("PATCH /api/v1/users/:id", () => {
  it("happy: changes role and profile; a role change ends the user's sessions", async () => {
    const target = await userWithRole(admin.access_token, "viewer");
    const updated = await json(await call(`/api/v1/users/${target.user.id}`, { method: "PATCH", token: admin.access_token, body: { role: "operator", display_name: "Promoted" } }), 200);
    expect(updated).toMatchObject({ role: "operator", display_name: "Promoted" });
    expect((await call("/api/v1/auth/refresh", { body: { refresh_token: target.refresh_token } })).status).toBe(401);
  });

  it("happy: disabling a user ends access at once", async () => {
    const target = await userWithRole(admin.access_token, "operator");
    await json(await call(`/api/v1/users/${target.user.id}`, { method: "PATCH", token: admin.access_token, body: { disabled: true } }), 200);
    expect((await call("/api/v1/auth/me", { token: target.access_token })).status).toBe(401);
  });

  it("error: unknown field and bad email are 400", async () => {
    expect((await call(`/api/v1/users/${admin.user.id}`, { method: "PATCH", token: admin.access_token, body: { username: "renamed" } })).status).toBe(400);
    expect((await call(`/api/v1/users/${admin.user.id}`, { method: "PATCH", token: admin.access_token, body: { email: "nope" } })).status).toBe(400);
  });

  it("security: nobody changes their own role or disables themselves; admins cannot touch super admins", async () => {
    expect((await call(`/api/v1/users/${admin.user.id}`, { method: "PATCH", token: admin.access_token, body: { role: "viewer" } })).status).toBe(403);
    expect((await call(`/api/v1/users/${admin.user.id}`, { method: "PATCH", token: admin.access_token, body: { disabled: true } })).status).toBe(403);
    const tenantAdmin = await userWithRole(admin.access_token, "admin");
    expect((await call(`/api/v1/users/${admin.user.id}`, { method: "PATCH", token: tenantAdmin.access_token, body: { display_name: "x" } })).status).toBe(403);
    expect((await call(`/api/v1/users/${tenantAdmin.user.id}`, { method: "PATCH", token: tenantAdmin.access_token, body: { role: "super_admin" } })).status).toBe(403);
  });
});

describe("DELETE /api/v1/users/:id", () => {
  it("happy: deletes and audits", async () => {
    const target = await userWithRole(admin.access_token, "viewer");
    expect((await call(`/api/v1/users/${target.user.id}`, { method: "DELETE", token: admin.access_token })).status).toBe(204);
    expect((await call(`/api/v1/users/${target.user.id}`, { token: admin.access_token })).status).toBe(404);
    const audit = await json(await call(`/api/v1/audit?action=user.delete&target_id=${target.user.id}`, { token: admin.access_token }), 200);
    expect(audit.entries[0].before.username).toBe(target.user.username);
  });

  it("error: unknown id 404", async () => {
    expect((await call("/api/v1/users/424242", { method: "DELETE", token: admin.access_token })).status).toBe(404);
  });

  it("security: you cannot delete yourself", async () => {
    expect((await call(`/api/v1/users/${admin.user.id}`, { method: "DELETE", token: admin.access_token })).status).toBe(403);
  });
});
