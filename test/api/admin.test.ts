import { describe, expect, it } from "vitest";
import { call, json, loginAdmin, PROXMOX_ENDPOINT, userWithRole } from "../helpers/api";

describe("POST /api/v1/admin/rotate-master-key", () => {
  it("happy: reports the current master key and that nothing is left to re-wrap", async () => {
    const admin = await loginAdmin();
    await json(await call("/api/v1/endpoints", { token: admin.access_token, body: PROXMOX_ENDPOINT }), 201);
    const result = await json(await call("/api/v1/admin/rotate-master-key", { method: "POST", token: admin.access_token }), 200);
    expect(result).toMatchObject({ rewrapped: 0, remaining: 0 });
    expect(result.master_key_id).toMatch(/^mk_[0-9a-f]{16}$/);
    const audit = await json(await call("/api/v1/audit?action=master_key.rotate", { token: admin.access_token }), 200);
    expect(audit.entries).toHaveLength(1);
  });

  it("error: a body is ignored, not an error", async () => {
    const admin = await loginAdmin();
    expect((await call("/api/v1/admin/rotate-master-key", { token: admin.access_token, body: { force: true } })).status).toBe(200);
  });

  it("security: a tenant admin is not a super admin", async () => {
    const root = await loginAdmin();
    const admin = await userWithRole(root.access_token, "admin");
    expect((await call("/api/v1/admin/rotate-master-key", { method: "POST", token: admin.access_token })).status).toBe(403);
  });
});
