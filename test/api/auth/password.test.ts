import { beforeAll, describe, expect, it } from "vitest";
import { call, json, login, loginAdmin, type Session } from "../../helpers/api";

let root: Session;
beforeAll(async () => {
  root = await loginAdmin();
});

async function freshUser() {
  const username = `pw${Math.random().toString(36).slice(2, 8)}`;
  const password = "the original passphrase";
  await json(await call("/api/v1/users", { token: root.access_token, body: { username, password, role: "viewer", must_change_password: false } }), 201);
  return { username, password, session: await login(username, password) };
}

describe("POST /api/v1/auth/password", () => {
  it("happy: changes the password, keeps this session and ends the others", async () => {
    const u = await freshUser();
    const other = await login(u.username, u.password);
    expect((await call("/api/v1/auth/password", { token: u.session.access_token, body: { current_password: u.password, new_password: "a brand new passphrase" } })).status).toBe(204);
    expect((await call("/api/v1/auth/me", { token: u.session.access_token })).status).toBe(200);
    expect((await call("/api/v1/auth/me", { token: other.access_token })).status).toBe(401);
    expect((await call("/api/v1/auth/login", { body: { username: u.username, password: u.password } })).status).toBe(401);
    await login(u.username, "a brand new passphrase");
  });

  it("error: wrong current password, the same password again, or a weak one are 400", async () => {
    const u = await freshUser();
    const t = u.session.access_token;
    expect((await json(await call("/api/v1/auth/password", { token: t, body: { current_password: "nope", new_password: "another passphrase" } }), 400)).error.message).toMatch(/current_password/);
    expect((await call("/api/v1/auth/password", { token: t, body: { current_password: u.password, new_password: u.password } })).status).toBe(400);
    expect((await call("/api/v1/auth/password", { token: t, body: { current_password: u.password, new_password: "short" } })).status).toBe(400);
  });

  it("security: API keys have no password; anonymous callers are refused", async () => {
    const key = (await json(await call("/api/v1/api-keys", { token: root.access_token, body: { name: "k", role: "admin" } }), 201)).key;
    expect((await call("/api/v1/auth/password", { token: key, body: { current_password: "a", new_password: "b" } })).status).toBe(400);
    expect((await call("/api/v1/auth/password", { body: { current_password: "a", new_password: "b" } })).status).toBe(401);
  });
});

describe("GET /api/v1/auth/me", () => {
  it("happy: the user, tenant and role", async () => {
    const me = await json(await call("/api/v1/auth/me", { token: root.access_token }), 200);
    expect(me).toMatchObject({ type: "user", id: root.user.id, tenant: { slug: "default" }, user: { username: root.user.username } });
  });
  it("error: a garbage token is 401", async () => {
    expect((await call("/api/v1/auth/me", { token: "garbage" })).status).toBe(401);
  });
  it("security: the answer holds no secret", async () => {
    expect(await (await call("/api/v1/auth/me", { token: root.access_token })).text()).not.toMatch(/pbkdf2|password_hash/);
  });
});
