import { beforeAll, describe, expect, it } from "vitest";
import { call, json, loginAdmin, PROXMOX_ENDPOINT, userWithRole, type Session } from "../helpers/api";

let admin: Session;
beforeAll(async () => {
  admin = await loginAdmin();
  for (let i = 0; i < 5; i++) await json(await call("/api/v1/endpoints", { token: admin.access_token, body: { ...PROXMOX_ENDPOINT, name: `audit-${i}` } }), 201);
});

describe("GET /api/v1/audit", () => {
  it("happy: newest first, with actor, target, request id and source", async () => {
    const page = await json(await call("/api/v1/audit?action=endpoint.create", { token: admin.access_token }), 200);
    expect(page.entries).toHaveLength(5);
    expect(page.entries[0].id).toBeGreaterThan(page.entries[4].id);
    expect(page.entries[0]).toMatchObject({ actor: { type: "user", id: admin.user.id }, target: { type: "endpoint" }, after: { name: "audit-4" } });
    expect(page.entries[0].request_id).toBeTruthy();
  });

  it("happy: pages backwards with before_id and filters by time", async () => {
    const first = await json(await call("/api/v1/audit?action=endpoint.create&limit=2", { token: admin.access_token }), 200);
    expect(first.entries).toHaveLength(2);
    const second = await json(await call(`/api/v1/audit?action=endpoint.create&limit=2&before_id=${first.next_before_id}`, { token: admin.access_token }), 200);
    expect(second.entries[0].id).toBeLessThan(first.entries[1].id);
    const future = await json(await call(`/api/v1/audit?since=${Date.now() + 60_000}`, { token: admin.access_token }), 200);
    expect(future.entries).toEqual([]);
  });

  it("error: a bad limit or actor type is 400", async () => {
    expect((await call("/api/v1/audit?limit=0", { token: admin.access_token })).status).toBe(400);
    expect((await call("/api/v1/audit?actor_type=robot", { token: admin.access_token })).status).toBe(400);
  });

  it("security: operators cannot read the audit log", async () => {
    const operator = await userWithRole(admin.access_token, "operator");
    expect((await call("/api/v1/audit", { token: operator.access_token })).status).toBe(403);
  });
});
