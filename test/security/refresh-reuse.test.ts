import { describe, expect, it } from "vitest";
import { call, json, loginAdmin } from "../helpers/api";

const refresh = (refresh_token: string) => call("/api/v1/auth/refresh", { body: { refresh_token } });

describe("refresh token rotation", () => {
  it("rotates: the new pair works and the old refresh token is spent", async () => {
    const first = await loginAdmin();
    const second = await json(await refresh(first.refresh_token), 200);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await call("/api/v1/auth/me", { token: second.access_token })).status).toBe(200);
  });

  it("reuse of a rotated token revokes the whole family, including the newest tokens", async () => {
    const first = await loginAdmin();
    const second = await json(await refresh(first.refresh_token), 200);
    const reused = await json(await refresh(first.refresh_token), 401);
    expect(reused.error.message).toMatch(/already used/);
    expect((await refresh(second.refresh_token)).status).toBe(401);
    expect((await call("/api/v1/auth/me", { token: second.access_token })).status).toBe(401);
    expect((await call("/api/v1/auth/me", { token: first.access_token })).status).toBe(401);
  });

  it("leaves other sessions of the same user alone", async () => {
    const victim = await loginAdmin();
    const other = await loginAdmin();
    const rotated = await json(await refresh(victim.refresh_token), 200);
    await refresh(victim.refresh_token);
    expect((await refresh(rotated.refresh_token)).status).toBe(401);
    expect((await call("/api/v1/auth/me", { token: other.access_token })).status).toBe(200);
  });

  it("logout ends the session: its access and refresh tokens stop working", async () => {
    const s = await loginAdmin();
    expect((await call("/api/v1/auth/logout", { method: "POST", token: s.access_token })).status).toBe(204);
    expect((await call("/api/v1/auth/me", { token: s.access_token })).status).toBe(401);
    expect((await refresh(s.refresh_token)).status).toBe(401);
  });

  it("rejects unknown and missing refresh tokens with 401", async () => {
    expect((await refresh("not-a-token")).status).toBe(401);
    expect((await call("/api/v1/auth/refresh", { method: "POST" })).status).toBe(401);
  });
});
