import { describe, expect, it } from "vitest";
import { LOCKOUT_THRESHOLD } from "../../src/security/lockout";
import { ADMIN, call, json, login, loginAdmin } from "../helpers/api";

const wrong = (source: string, username = ADMIN.username) =>
  call("/api/v1/auth/login", { body: { username, password: "definitely-wrong" }, source });

describe("lockout per (credential × source)", () => {
  it(`locks after ${LOCKOUT_THRESHOLD} failures with 429 and Retry-After, even for the right password`, async () => {
    for (let i = 1; i <= LOCKOUT_THRESHOLD; i++) {
      const body = await json(await wrong("10.0.0.1"), 401);
      expect(body.error.details.attempts_remaining).toBe(LOCKOUT_THRESHOLD - i);
    }
    const locked = await call("/api/v1/auth/login", { body: ADMIN, source: "10.0.0.1" });
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(250);
    expect(retryAfter).toBeLessThanOrEqual(300);
    expect(((await locked.json()) as any).error.code).toBe("locked_out");
  });

  it("does not lock the same credential from another source, nor another credential from the same source", async () => {
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) await wrong("10.0.0.2");
    expect((await call("/api/v1/auth/login", { body: ADMIN, source: "10.0.0.3" })).status).toBe(200);
    expect((await wrong("10.0.0.2", "someone-else")).status).toBe(401);
  });

  it("a success clears the counter", async () => {
    for (let i = 0; i < LOCKOUT_THRESHOLD - 1; i++) await wrong("10.0.0.4");
    await login(ADMIN.username, ADMIN.password, "10.0.0.4");
    const body = await json(await wrong("10.0.0.4"), 401);
    expect(body.error.details.attempts_remaining).toBe(LOCKOUT_THRESHOLD - 1);
  });

  it("locks a repeatedly presented bad API key, and never locks the public routes", async () => {
    const badKey = "opk_" + "A".repeat(43);
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) expect((await call("/api/v1/endpoints", { token: badKey, source: "10.0.0.5" })).status).toBe(401);
    expect((await call("/api/v1/endpoints", { token: badKey, source: "10.0.0.5" })).status).toBe(429);
    expect((await call("/health", { token: badKey, source: "10.0.0.5" })).status).toBe(200);
  });

  it("admins list lockouts and clear them", async () => {
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) await wrong("10.0.0.6");
    const admin = await loginAdmin();
    const list = await json(await call("/api/v1/lockouts?locked=true", { token: admin.access_token }), 200);
    const entry = list.lockouts.find((l: any) => l.source === "10.0.0.6");
    expect(entry).toMatchObject({ kind: "password", label: ADMIN.username, failures: LOCKOUT_THRESHOLD, locked: true });
    expect(JSON.stringify(list)).not.toContain("definitely-wrong");
    expect((await call(`/api/v1/lockouts/${entry.id}`, { method: "DELETE", token: admin.access_token })).status).toBe(204);
    expect((await call("/api/v1/auth/login", { body: ADMIN, source: "10.0.0.6" })).status).toBe(200);
    const audit = await json(await call("/api/v1/audit?action=lockout.clear", { token: admin.access_token }), 200);
    expect(audit.entries).toHaveLength(1);
  });
});
