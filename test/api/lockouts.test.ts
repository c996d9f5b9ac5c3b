import { beforeAll, describe, expect, it } from "vitest";
import { LOCKOUT_THRESHOLD } from "../../src/security/lockout";
import { call, json, loginAdmin, userWithRole, type Session } from "../helpers/api";

let root: Session;
const fail = (username: string, source: string) => call("/api/v1/auth/login", { body: { username, password: "wrong-wrong" }, source });

beforeAll(async () => {
  root = await loginAdmin();
});

describe("lockouts admin", () => {
  it("happy: lists failures of the tenant's users, locked or not, and clears them all", async () => {
    const admin = await userWithRole(root.access_token, "admin");
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) await fail(admin.user.username, "198.51.100.1");
    await fail(admin.user.username, "198.51.100.2");
    const all = await json(await call("/api/v1/lockouts", { token: admin.access_token }), 200);
    expect(all.lockouts.map((l: any) => [l.source, l.locked])).toEqual(
      expect.arrayContaining([
        ["198.51.100.1", true],
        ["198.51.100.2", false],
      ]),
    );
    const unlocked = await json(await call("/api/v1/lockouts?locked=false", { token: admin.access_token }), 200);
    expect(unlocked.lockouts.every((l: any) => !l.locked)).toBe(true);
    const cleared = await json(await call("/api/v1/lockouts", { method: "DELETE", token: admin.access_token }), 200);
    expect(cleared.cleared).toBeGreaterThanOrEqual(2);
    expect((await json(await call("/api/v1/lockouts", { token: admin.access_token }), 200)).lockouts).toEqual([]);
  });

  it("happy: a super admin also sees failures that matched no known account", async () => {
    await fail("no-such-user", "198.51.100.3");
    const list = await json(await call("/api/v1/lockouts", { token: root.access_token }), 200);
    expect(list.lockouts.find((l: any) => l.label === "no-such-user")).toMatchObject({ tenant_id: null });
  });

  it("error: clearing an unknown or foreign record is 404", async () => {
    expect((await call("/api/v1/lockouts/99999", { method: "DELETE", token: root.access_token })).status).toBe(404);
    const admin = await userWithRole(root.access_token, "admin");
    await fail("no-such-user-2", "198.51.100.4");
    const foreign = (await json(await call("/api/v1/lockouts", { token: root.access_token }), 200)).lockouts.find((l: any) => l.label === "no-such-user-2");
    expect((await call(`/api/v1/lockouts/${foreign.id}`, { method: "DELETE", token: admin.access_token })).status).toBe(404);
  });

  it("security: operators cannot see or clear lockouts", async () => {
    const operator = await userWithRole(root.access_token, "operator");
    expect((await call("/api/v1/lockouts", { token: operator.access_token })).status).toBe(403);
    expect((await call("/api/v1/lockouts", { method: "DELETE", token: operator.access_token })).status).toBe(403);
  });
});
