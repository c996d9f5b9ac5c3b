import { describe, expect, it } from "vitest";
import { ADMIN, call, json, login, loginAdmin } from "../../helpers/api";

describe("POST /api/v1/auth/login", () => {
  it("signs in the seeded admin and returns tokens, cookies and the user", async () => {
    const res = await call("/api/v1/auth/login", { body: ADMIN });
    const body = await json(res, 200);
    expect(body.token_type).toBe("Bearer");
    expect(body.user).toMatchObject({ username: ADMIN.username, role: "super_admin", must_change_password: false });
    const cookies = res.headers.getAll("set-cookie").join("\n");
    expect(cookies).toMatch(/outpost_access=[^;]+;.*HttpOnly.*Secure/);
    expect(cookies).toMatch(/outpost_refresh=[^;]+;.*Path=\/api\/v1\/auth/);
    const me = await json(await call("/api/v1/auth/me", { token: body.access_token }), 200);
    expect(me).toMatchObject({ type: "user", role: "super_admin", authenticated_via: "bearer" });
  });

  it("rejects a wrong password with 401 and a countdown, without saying which part was wrong", async () => {
    const body = await json(await call("/api/v1/auth/login", { body: { username: ADMIN.username, password: "wrong-password!" } }), 401);
    expect(body.error).toMatchObject({ code: "unauthorized", message: "Invalid username or password" });
    expect(body.error.details.attempts_remaining).toBe(4);
    const unknown = await json(await call("/api/v1/auth/login", { body: { username: "nobody", password: "wrong-password!" } }), 401);
    expect(unknown.error.message).toBe("Invalid username or password");
  });

  it("names the missing field on a bad body", async () => {
    const body = await json(await call("/api/v1/auth/login", { body: { username: "x" } }), 400);
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.issues[0].field).toBe("json.password");
    const malformed = await json(await call("/api/v1/auth/login", { body: "{not json" }), 400);
    expect(malformed.error.code).toBe("bad_request");
  });

  it("never echoes the password in the response", async () => {
    const res = await call("/api/v1/auth/login", { body: { username: ADMIN.username, password: "secret-guess-123" } });
    expect(await res.text()).not.toContain("secret-guess-123");
  });

  it("a second login yields an independent session", async () => {
    const a = await loginAdmin();
    const b = await login(ADMIN.username, ADMIN.password);
    expect(a.refresh_token).not.toBe(b.refresh_token);
  });
});
