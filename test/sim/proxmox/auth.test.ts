/** PVE authentication and authorisation: tokens, tickets, CSRF, privsep, ACL paths, filtered lists. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../common/clock";
import { createProxmoxSim } from "./index";
import { call } from "./testing";

function lab() {
  const clock = new SimClock("manual");
  return { clock, sim: createProxmoxSim({ nodes: 1, vmsPerNode: 4, lxcPerNode: 1, clock, seed: 3 }) };
}

async function login(sim: ReturnType<typeof lab>["sim"], username: string, password: string) {
  const r = await call(sim, "POST", "/access/ticket", { auth: null, params: { username, password } });
  return { r, ticket: r.data?.ticket as string, csrf: r.data?.CSRFPreventionToken as string };
}

describe("PVE authentication", () => {
  it("answers missing credentials with 401 `No ticket` and an empty body", async () => {
    const { sim } = lab();
    const r = await call(sim, "GET", "/nodes", { auth: null });
    expect([r.status, r.statusText, r.text]).toEqual([401, "No ticket", ""]);
    const unknown = await call(sim, "GET", "/foo", { auth: null });
    expect(unknown.status).toBe(401);
  });

  it("answers a bad token secret or unknown token with 401 and an empty body", async () => {
    const { sim } = lab();
    const bad = await call(sim, "GET", "/nodes", { auth: `PVEAPIToken=${sim.credentials.token.token_id}=00000000-0000-0000-0000-000000000000` });
    expect([bad.status, bad.statusText, bad.text]).toEqual([401, "Authentication failed!", ""]);
    const unknown = await call(sim, "GET", "/nodes", { auth: `PVEAPIToken=root@pam!nope=${sim.credentials.token.secret}` });
    expect(unknown.status).toBe(401);
  });

  it("splits the token header at the last `=` and accepts a space separator", async () => {
    const { sim } = lab();
    const { token_id, secret } = sim.credentials.token;
    expect((await call(sim, "GET", "/version", { auth: `PVEAPIToken ${token_id}=${secret}` })).status).toBe(200);
  });

  it("logs in with a ticket, needs the CSRF header on writes, and renews by posting the ticket", async () => {
    const { sim } = lab();
    const { r, ticket, csrf } = await login(sim, "root@pam", sim.credentials.root.password);
    expect(r.status).toBe(200);
    expect(ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::[A-Za-z0-9+/=]+$/);
    expect(csrf).toMatch(/^[0-9A-F]{8}:\S+$/);
    expect(r.data.cap.vms["VM.Allocate"]).toBe(1);
    const cookie = `PVEAuthCookie=${encodeURIComponent(ticket)}`;
    expect((await call(sim, "GET", "/nodes", { auth: null, cookie })).status).toBe(200);
    const noCsrf = await call(sim, "POST", "/pools", { auth: null, cookie, params: { poolid: "x1" } });
    expect([noCsrf.status, noCsrf.statusText, noCsrf.text]).toEqual([401, "Permission denied - invalid csrf token", ""]);
    expect((await call(sim, "POST", "/pools", { auth: null, cookie, csrf, params: { poolid: "x1" } })).status).toBe(200);
    const renewed = await login(sim, "root@pam", ticket);
    expect(renewed.r.status).toBe(200);
    expect(renewed.ticket).not.toBe(ticket);
  });

  it("expires tickets after two hours", async () => {
    const { sim, clock } = lab();
    const { ticket } = await login(sim, "root@pam", sim.credentials.root.password);
    clock.advance(2 * 3600_000 + 1000);
    const r = await call(sim, "GET", "/nodes", { auth: null, cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}` });
    expect([r.status, r.statusText]).toEqual([401, "Authentication failed!"]);
  });

  it("answers a wrong password with a vague JSON 401", async () => {
    const { sim } = lab();
    const { r } = await login(sim, "root@pam", "wrong");
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ data: null, message: "authentication failure\n" });
  });

  it("refuses API tokens on allowtoken:0 endpoints", async () => {
    const { sim } = lab();
    const r = await call(sim, "POST", "/access/ticket", { params: { username: "root@pam", password: sim.credentials.root.password } });
    expect(r.status).toBe(403);
    expect(r.body?.message).toBe("Permission check failed (URI '/access/ticket' not available with API token, need proper ticket.)\n");
  });
});

describe("PVE authorisation", () => {
  async function outpostUser(sim: ReturnType<typeof lab>["sim"], privsep: 0 | 1) {
    expect((await call(sim, "POST", "/access/users", { params: { userid: "outpost@pve", comment: "Outpost" } })).status).toBe(200);
    const created = await call(sim, "POST", "/access/users/outpost@pve/token/sync", { params: { privsep } });
    expect(created.status).toBe(200);
    expect(created.data["full-tokenid"]).toBe("outpost@pve!sync");
    return `PVEAPIToken=outpost@pve!sync=${created.data.value}`;
  }

  it("gives a privsep token of a user without ACLs no rights: 403 on checks, empty filtered lists", async () => {
    const { sim } = lab();
    const auth = await outpostUser(sim, 1);
    expect((await call(sim, "GET", "/version", { auth })).status).toBe(200);
    const list = await call(sim, "GET", "/nodes/pve1/qemu", { auth });
    expect([list.status, list.data]).toEqual([200, []]);
    const vmid = sim.guests("pve1").find((g) => g.type === "qemu")!.vmid;
    const start = await call(sim, "POST", `/nodes/pve1/qemu/${vmid}/status/start`, { auth });
    expect(start.status).toBe(403);
    expect(start.body?.message).toBe(`Permission check failed (/vms/${vmid}, VM.PowerMgmt)\n`);
    const status = await call(sim, "GET", "/cluster/status", { auth });
    expect(status.body?.message).toBe("Permission check failed (/, Sys.Audit)\n");
    expect((await call(sim, "GET", "/cluster/resources?type=vm", { auth })).data).toEqual([]);
  });

  it("intersects a privsep token's ACLs with its user's (ACLs on the token alone grant nothing)", async () => {
    const { sim } = lab();
    const auth = await outpostUser(sim, 1);
    await call(sim, "PUT", "/access/acl", { params: { path: "/", roles: "PVEAuditor", tokens: "outpost@pve!sync" } });
    expect((await call(sim, "GET", "/nodes/pve1/qemu", { auth })).data).toEqual([]);
    await call(sim, "PUT", "/access/acl", { params: { path: "/", roles: "PVEAuditor", users: "outpost@pve" } });
    const list = await call(sim, "GET", "/nodes/pve1/qemu", { auth });
    expect(list.data.length).toBe(4);
    const perms = await call(sim, "GET", "/access/permissions", { auth, params: { path: "/vms" } });
    expect(perms.data["/vms"]).toMatchObject({ "VM.Audit": 1 });
    expect(perms.data["/vms"]["VM.PowerMgmt"]).toBeUndefined();
  });

  it("gives a privsep=0 token exactly its user's rights", async () => {
    const { sim } = lab();
    const auth = await outpostUser(sim, 0);
    await call(sim, "PUT", "/access/acl", { params: { path: "/vms", roles: "PVEVMAdmin", users: "outpost@pve" } });
    const vm = sim.guests("pve1").find((g) => g.type === "qemu" && g.status === "stopped" && g.config.template !== 1);
    expect(vm).toBeDefined();
    expect((await call(sim, "POST", `/nodes/pve1/qemu/${vm!.vmid}/status/start`, { auth })).status).toBe(200);
    expect((await call(sim, "GET", "/cluster/status", { auth })).status).toBe(403);
  });

  it("filters lists per object: VM.Audit on one VM shows only that VM", async () => {
    const { sim } = lab();
    const auth = await outpostUser(sim, 0);
    const vmid = sim.guests("pve1").find((g) => g.type === "qemu")!.vmid;
    await call(sim, "PUT", "/access/acl", { params: { path: `/vms/${vmid}`, roles: "PVEAuditor", users: "outpost@pve" } });
    const list = await call(sim, "GET", "/nodes/pve1/qemu", { auth });
    expect(list.data.map((v: { vmid: number }) => v.vmid)).toEqual([vmid]);
    const nodes = await call(sim, "GET", "/nodes", { auth });
    expect(nodes.data[0].cpu).toBeUndefined();
  });

  it("refuses ACL paths `check_path` does not know, such as /system", async () => {
    const { sim } = lab();
    await outpostUser(sim, 1);
    const r = await call(sim, "PUT", "/access/acl", { params: { path: "/system", roles: "PVEAuditor", users: "outpost@pve" } });
    expect(r.status).toBe(400);
    expect(r.body?.errors).toEqual({ path: "invalid ACL path '/system'" });
    const noTarget = await call(sim, "PUT", "/access/acl", { params: { path: "/", roles: "PVEAuditor" } });
    expect(noTarget.status).toBe(400);
  });

  it("shows a token secret once, defaults privsep to 1, refuses duplicates", async () => {
    const { sim } = lab();
    await call(sim, "POST", "/access/users", { params: { userid: "ops@pve" } });
    const created = await call(sim, "POST", "/access/users/ops@pve/token/ci");
    expect(created.data.value).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.data.info.privsep).toBe(1);
    const info = await call(sim, "GET", "/access/users/ops@pve/token/ci");
    expect(info.data).toEqual({ privsep: 1, expire: 0 });
    const dup = await call(sim, "POST", "/access/users/ops@pve/token/ci");
    expect([dup.status, dup.body?.errors]).toEqual([400, { tokenid: "Token already exists." }]);
    expect((await call(sim, "DELETE", "/access/users/ops@pve/token/ci")).status).toBe(200);
    expect((await call(sim, "GET", "/access/users/ops@pve/token")).data).toEqual([]);
  });

  it("lists built-in PVE 9 roles and creates custom ones with valid privileges only", async () => {
    const { sim } = lab();
    const roles = await call(sim, "GET", "/access/roles");
    const byId = new Map(roles.data.map((r: { roleid: string; privs: string }) => [r.roleid, r.privs.split(",")]));
    expect(byId.get("PVEAuditor")).toContain("VM.GuestAgent.Audit");
    expect(byId.get("PVEVMAdmin")).toContain("VM.Snapshot");
    expect(byId.get("PVEDatastoreUser")).toEqual(["Datastore.AllocateSpace", "Datastore.Audit"]);
    expect([...byId.keys()]).not.toContain("VM.Monitor");
    const bad = await call(sim, "POST", "/access/roles", { params: { roleid: "Bad", privs: "VM.Monitor" } });
    expect(bad.body?.errors).toEqual({ privs: "invalid format - invalid privilege 'VM.Monitor'\n" });
    expect((await call(sim, "POST", "/access/roles", { params: { roleid: "OutpostProvision", privs: "VM.Audit,VM.Allocate" } })).status).toBe(200);
  });
});
