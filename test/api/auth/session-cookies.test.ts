import { describe, expect, it } from "vitest";
import { ADMIN, call, json } from "../../helpers/api";

async function browserLogin() {
  const res = await call("/api/v1/auth/login", { body: ADMIN });
  const body = await json(res, 200);
  const jar = Object.fromEntries(res.headers.getAll("set-cookie").map((c: string) => c.split(";")[0]!.split("=") as [string, string]));
  return { body, cookie: `outpost_access=${jar.outpost_access}; outpost_csrf=${jar.outpost_csrf}`, refreshCookie: `outpost_refresh=${jar.outpost_refresh}`, csrf: jar.outpost_csrf! };
}

describe("browser sessions (cookies + CSRF)", () => {
  it("a cookie authenticates reads", async () => {
    const s = await browserLogin();
    const me = await json(await call("/api/v1/auth/me", { headers: { cookie: s.cookie } }), 200);
    expect(me.authenticated_via).toBe("cookie");
  });

  it("cookie-authenticated writes need the CSRF header matching the cookie", async () => {
    const s = await browserLogin();
    const body = { name: "csrf-key", role: "viewer" };
    const missing = await json(await call("/api/v1/api-keys", { headers: { cookie: s.cookie }, body }), 403);
    expect(missing.error.code).toBe("csrf_failed");
    expect((await call("/api/v1/api-keys", { headers: { cookie: s.cookie, "x-csrf-token": "forged" }, body })).status).toBe(403);
    expect((await call("/api/v1/api-keys", { headers: { cookie: s.cookie, "x-csrf-token": s.csrf }, body })).status).toBe(201);
  });

  it("the refresh cookie alone refreshes the session", async () => {
    const s = await browserLogin();
    const res = await call("/api/v1/auth/refresh", { method: "POST", headers: { cookie: s.refreshCookie } });
    expect((await json(res, 200)).access_token).toBeTruthy();
    expect(res.headers.getAll("set-cookie").join()).toContain("outpost_refresh=");
  });

  it("logout clears the cookies", async () => {
    const s = await browserLogin();
    const res = await call("/api/v1/auth/logout", { method: "POST", headers: { cookie: s.cookie, "x-csrf-token": s.csrf } });
    expect(res.status).toBe(204);
    expect(res.headers.getAll("set-cookie").join()).toMatch(/outpost_access=;.*Max-Age=0/);
    expect((await call("/api/v1/auth/me", { headers: { cookie: s.cookie } })).status).toBe(401);
  });

  it("a malformed Authorization header is a clear 401", async () => {
    const body = await json(await call("/api/v1/auth/me", { headers: { authorization: "Basic abc" } }), 401);
    expect(body.error.message).toMatch(/Bearer/);
  });

  it("an expired access token is told apart from a forged one", async () => {
    const { sign } = await import("hono/jwt");
    const { env } = await import("cloudflare:workers");
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await sign({ sub: "1", tid: 1, role: "viewer", sid: "x", typ: "access", iss: "outpost", aud: "outpost-api", iat: past, exp: past + 60 }, env.JWT_SECRET, "HS256");
    expect((await json(await call("/api/v1/auth/me", { token: expired }), 401)).error.code).toBe("token_expired");
  });
});
