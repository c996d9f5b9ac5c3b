/** The typed Proxmox client against the in-process PVE simulator, in the Workers runtime. */
import { describe, expect, it } from "vitest";
import type { ProxmoxCredentials } from "../../src/upstream/credentials";
import { ConnectionLimiter } from "../../src/upstream/limiter";
import {
  GuestConfigSchema,
  ProxmoxClient,
  cdromDrive,
  cloudInitDrive,
  formatIpConfig,
  formatLxcNet,
  formatQemuNet,
  isUpid,
  newLxcVolume,
  newQemuDisk,
  parseLxcMount,
  parseLxcNet,
  parseQemuDisk,
  parseQemuNet,
  parseUpid,
  sizeToBytes,
} from "../../src/upstream/proxmox";
import { Transport, type UpstreamTarget } from "../../src/upstream/transport";
import { SimClock } from "../sim/common/clock";
import { createProxmoxSim, type ProxmoxSim } from "../sim/proxmox";
import { rejection } from "../helpers/upstream";

interface Setup {
  sim: ProxmoxSim;
  clock: SimClock;
  client: ProxmoxClient;
}

function setup(options: { credentials?: "token" | "password"; retries?: number; timeoutMs?: number; clientNow?: () => number } = {}): Setup {
  const clock = new SimClock("manual");
  const sim = createProxmoxSim({ nodes: 2, vmsPerNode: 6, lxcPerNode: 2, clock, seed: 21 });
  const target: UpstreamTarget = {
    label: 'proxmox "lab"',
    scheme: "http",
    host: "pve.lab",
    port: 8006,
    basePath: "",
    transport: { mode: "direct" },
    timeoutMs: options.timeoutMs ?? 5000,
    retries: options.retries ?? 0,
    backoffMs: 1,
  };
  // Honour the abort signal like a real connection would, so a hanging simulator turns into a transport timeout.
  const fetch = (req: Request) =>
    Promise.race([
      sim.harness.fetch(req),
      new Promise<Response>((_, reject) => req.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))),
    ]);
  const transport = new Transport(target, { limiter: new ConnectionLimiter(), fetch, sleep: async () => undefined });
  const credentials: ProxmoxCredentials =
    options.credentials === "password"
      ? { type: "password", username: "root@pam", password: sim.credentials.root.password }
      : { type: "token", token_id: sim.credentials.token.token_id, secret: sim.credentials.token.secret };
  const client = new ProxmoxClient(transport, credentials, {
    now: options.clientNow ?? (() => clock.now()),
    sleep: async (ms) => clock.advance(ms),
  });
  return { sim, clock, client };
}

const requests = (sim: ProxmoxSim, key: string) => sim.harness.stats().requests[key] ?? 0;


describe("ProxmoxClient: reads", () => {
  it("reads version, cluster, nodes, storage and network with coerced types", async () => {
    const { client } = setup();
    expect((await client.version()).release).toBe("9.1");
    const status = await client.clusterStatus();
    expect(status[0]).toMatchObject({ type: "cluster", name: "lab", quorate: true });
    const resources = await client.clusterResources("vm");
    expect(resources).toHaveLength(16);
    expect(typeof resources[0]!.template).toBe("boolean");
    expect((await client.clusterResources()).some((r) => r.type === "storage")).toBe(true);
    expect(await client.nextId()).toBeGreaterThanOrEqual(100);
    expect(await client.nextId(4000)).toBe(4000);
    const nodes = await client.nodes();
    expect(nodes.map((n) => n.node)).toEqual(["pve1", "pve2"]);
    const ns = await client.nodeStatus("pve1");
    expect(ns.memory.total).toBeGreaterThan(ns.memory.used);
    expect(ns.loadavg).toHaveLength(3);
    const storages = await client.listStorage("pve1", { content: ["images", "rootdir"] });
    expect(storages.map((s) => s.storage)).toEqual(["local-lvm"]);
    expect(storages[0]!.shared).toBe(false);
    const isos = await client.storageContent("pve1", "local", { content: "iso" });
    expect(isos.length).toBe(3);
    expect((await client.storageStatus("pve1", "local-lvm")).total).toBeGreaterThan(0);
    const bridges = await client.network("pve1", "any_bridge");
    expect(bridges.map((b) => [b.iface, b.bridge_vlan_aware])).toEqual([
      ["vmbr0", true],
      ["vmbr1", undefined],
    ]);
  });

  it("parses guest configs leniently: memory strings become numbers, 0/1 become booleans", async () => {
    const { client, sim } = setup();
    const vms = await client.listQemu("pve1");
    const template = vms.find((v) => v.template === true)!;
    expect(template).toBeDefined();
    const config = await client.qemuConfig("pve1", template.vmid);
    expect(config.memory).toBe(Number(sim.guest(template.vmid)!.config.memory));
    expect(config.template).toBe(true);
    expect(config.digest).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof config.scsi0).toBe("string");
    expect(GuestConfigSchema.parse({ memory: "current=4096", onboot: "1", cores: "2" })).toMatchObject({ memory: 4096, onboot: true, cores: 2 });
    const status = await client.qemuStatus("pve1", template.vmid);
    expect(status.ha?.managed).toBe(false);
    const cts = await client.listLxc("pve1");
    expect(cts).toHaveLength(2);
    const ct = await client.lxcConfig("pve1", cts[0]!.vmid);
    expect(ct.unprivileged).toBe(true);
    expect((await client.lxcStatus("pve1", cts[0]!.vmid)).vmid).toBe(cts[0]!.vmid);
  });
});

describe("ProxmoxClient: guest lifecycle", () => {
  it("creates, configures, powers, snapshots, backs up and destroys a VM", async () => {
    const { client, sim } = setup();
    const vmid = await client.nextId();
    const upid = await client.createQemu("pve1", {
      vmid,
      name: "outpost-test",
      memory: 2048,
      cores: 2,
      scsihw: "virtio-scsi-single",
      agent: "1",
      onboot: true,
      scsi0: newQemuDisk("local-lvm", 16, { iothread: true, discard: "on" }),
      ide2: cdromDrive("local:iso/debian-12.8.0-amd64-netinst.iso"),
      ide0: cloudInitDrive("local-lvm"),
      net0: formatQemuNet({ model: "virtio", bridge: "vmbr0", tag: 30, firewall: true }),
      ipconfig0: formatIpConfig({ ip: "10.30.0.5/24", gw: "10.30.0.1", ip6: "auto" }),
      ciuser: "ops",
      sshkeys: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx ops@lab",
    });
    expect(isUpid(upid)).toBe(true);
    expect(parseUpid(upid)).toMatchObject({ node: "pve1", type: "qmcreate", id: String(vmid), user: "root@pam", tokenid: "outpost" });
    expect((await client.waitForTask("pve1", upid, { pollMs: 500 })).exitstatus).toBe("OK");
    const config = await client.qemuConfig("pve1", vmid);
    expect(config.onboot).toBe(true);
    expect(parseQemuNet(String(config.net0))).toMatchObject({ model: "virtio", bridge: "vmbr0", tag: 30, firewall: true });
    expect(parseQemuNet(String(config.net0)).macaddr).toMatch(/^BC:24:11:/);
    expect(parseQemuDisk(String(config.scsi0))).toEqual({ file: `local-lvm:vm-${vmid}-disk-0`, size: "16G", options: { discard: "on", iothread: "1" } });
    expect(config.sshkeys).toBe(encodeURIComponent("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx ops@lab"));

    await client.updateQemuConfig("pve1", vmid, { cores: 4, digest: config.digest, delete: ["onboot"] });
    const updated = await client.qemuConfig("pve1", vmid);
    expect([updated.cores, updated.onboot]).toEqual([4, undefined]);
    const asyncUpid = await client.updateQemuConfigAsync("pve1", vmid, { description: "managed by Outpost" });
    await client.waitForTask("pve1", asyncUpid!);
    expect((await client.qemuConfig("pve1", vmid)).description).toBe("managed by Outpost");

    await client.waitForTask("pve1", await client.startQemu("pve1", vmid));
    expect((await client.qemuStatus("pve1", vmid)).status).toBe("running");
    await client.waitForTask("pve1", await client.rebootQemu("pve1", vmid));
    await client.waitForTask("pve1", await client.resetQemu("pve1", vmid));
    await client.waitForTask("pve1", await client.createSnapshot("pve1", "qemu", vmid, { snapname: "base", description: "clean", vmstate: false }));
    expect((await client.listSnapshots("pve1", "qemu", vmid)).map((s) => s.name)).toEqual(["base", "current"]);
    await client.waitForTask("pve1", await client.shutdownQemu("pve1", vmid, { timeout: 30 }));
    expect((await client.qemuStatus("pve1", vmid)).status).toBe("stopped");
    await client.waitForTask("pve1", await client.rollbackSnapshot("pve1", "qemu", vmid, "base", { start: true }));
    await client.waitForTask("pve1", await client.stopQemu("pve1", vmid));
    await client.waitForTask("pve1", await client.deleteSnapshot("pve1", "qemu", vmid, "base"));

    const dump = await client.vzdump("pve1", { vmid: [vmid], storage: "local", mode: "snapshot", compress: "zstd", "notes-template": "{{guestname}}" });
    await client.waitForTask("pve1", dump, { pollMs: 2000 });
    const backups = await client.storageContent("pve1", "local", { content: "backup", vmid });
    expect(backups).toHaveLength(1);
    expect(backups[0]!.notes).toBe("outpost-test");

    const cloneId = await client.nextId();
    await client.waitForTask("pve1", await client.cloneQemu("pve1", vmid, { newid: cloneId, name: "outpost-clone", full: true }), { pollMs: 1000 });
    expect((await client.qemuConfig("pve1", cloneId)).name).toBe("outpost-clone");

    await client.waitForTask("pve1", await client.deleteQemu("pve1", vmid, { purge: true, "destroy-unreferenced-disks": true }));
    expect(sim.guest(vmid)).toBeUndefined();
  });

  it("creates, configures, powers and destroys a container", async () => {
    const { client } = setup();
    const vmid = await client.nextId();
    const upid = await client.createLxc("pve1", {
      vmid,
      ostemplate: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
      hostname: "ct-outpost",
      rootfs: newLxcVolume("local-lvm", 8),
      net0: formatLxcNet({ name: "eth0", bridge: "vmbr0", ip: "dhcp", ip6: "auto", tag: 10 }),
      password: "changeme-now",
      start: true,
    });
    await client.waitForTask("pve1", upid);
    const config = await client.lxcConfig("pve1", vmid);
    expect([config.memory, config.swap, config.unprivileged]).toEqual([512, 512, true]);
    expect(parseLxcNet(String(config.net0))).toMatchObject({ name: "eth0", bridge: "vmbr0", ip: "dhcp", ip6: "auto", tag: 10, type: "veth" });
    expect(parseLxcMount(String(config.rootfs))).toEqual({ volume: `local-lvm:vm-${vmid}-disk-0`, size: "8G" });
    expect((await client.lxcStatus("pve1", vmid)).status).toBe("running");
    await client.updateLxcConfig("pve1", vmid, { memory: 1024, cores: 2 });
    expect((await client.lxcConfig("pve1", vmid)).memory).toBe(1024);
    await client.waitForTask("pve1", await client.rebootLxc("pve1", vmid));
    await client.waitForTask("pve1", await client.shutdownLxc("pve1", vmid, { timeout: 20 }));
    await client.waitForTask("pve1", await client.startLxc("pve1", vmid));
    await client.waitForTask("pve1", await client.stopLxc("pve1", vmid));
    await client.waitForTask("pve1", await client.deleteLxc("pve1", vmid, { purge: true }));
    expect((await client.listLxc("pve1")).some((c) => c.vmid === vmid)).toBe(false);
  });

  it("lists tasks with total, reads logs and stops a running task", async () => {
    const { client } = setup();
    const vmid = await client.nextId();
    const upid = await client.createQemu("pve1", { vmid });
    const active = await client.listTasks("pve1", { source: "active" });
    expect(active.tasks.map((t) => t.upid)).toEqual([upid]);
    await client.stopTask("pve1", upid);
    const status = await client.taskStatus("pve1", upid);
    expect(status).toMatchObject({ status: "stopped", exitstatus: "received interrupt", tokenid: "outpost" });
    const log = await client.taskLog("pve1", upid, { start: 0, limit: 10 });
    expect(log.lines.at(-1)).toEqual({ n: log.total, t: "TASK ERROR: received interrupt" });
    const archive = await client.listTasks("pve1", { errors: true, vmid, limit: 5 });
    expect(archive.total).toBe(1);
  });
});

describe("ProxmoxClient: waitForTask outcomes", () => {
  const stoppedVm = (s: Setup) => s.sim.guests("pve1").find((g) => g.type === "qemu" && g.status === "stopped" && g.config.template !== 1)!.vmid;

  it("treats `WARNINGS: n` as success", async () => {
    const s = setup();
    s.sim.injectTaskFault({ type: "qmstart", warnings: 3 });
    const status = await s.client.waitForTask("pve1", await s.client.startQemu("pve1", stoppedVm(s)));
    expect(status.exitstatus).toBe("WARNINGS: 3");
  });

  it("rejects with the task's error as a 502", async () => {
    const s = setup();
    s.sim.injectTaskFault({ type: "qmstart", error: "start failed: QEMU exited with code 1" });
    const err = await rejection(s.client.waitForTask("pve1", await s.client.startQemu("pve1", stoppedVm(s))));
    expect(err.status).toBe(502);
    expect(err.message).toContain("start failed: QEMU exited with code 1");
    expect(err.details).toMatchObject({ exitstatus: "start failed: QEMU exited with code 1" });
  });

  it("gives up with a 504 when the task outlives the timeout", async () => {
    const s = setup();
    const upid = await s.client.vzdump("pve1", { all: true });
    const err = await rejection(s.client.waitForTask("pve1", upid, { timeoutMs: 2000, pollMs: 500 }));
    expect(err.status).toBe(504);
    expect(err.code).toBe("upstream_timeout");
  });
});

describe("ProxmoxClient: errors", () => {
  it("keeps 4xx with PVE's message and per-parameter errors", async () => {
    const { client } = setup();
    const err = await rejection(client.createQemu("pve1", { vmid: 900, net0: "virtio,bridge=vmbr0,tag=5000" }));
    expect(err.status).toBe(400);
    expect(err.code).toBe("upstream_rejected");
    expect(err.message).toContain("Parameter verification failed.");
    expect(err.message).toContain("net0.tag: value must have a maximum value of 4094");
    expect(err.details).toMatchObject({ upstream_status: 400, errors: { net0: expect.stringContaining("4094") } });
    expect(() => formatQemuNet({ model: "virtio", tag: 5000 })).toThrow(RangeError);
    expect(() => formatIpConfig({ ip6: "dhcp6" })).toThrow(RangeError);
  });

  it("maps 5xx to 502 with PVE's message", async () => {
    const { client, sim } = setup();
    const running = sim.guests("pve1").find((g) => g.type === "qemu" && g.status === "running")!;
    const err = await rejection(client.deleteQemu("pve1", running.vmid));
    expect([err.status, err.code]).toEqual([502, "upstream_error"]);
    expect(err.message).toContain(`VM ${running.vmid} is running - destroy failed`);
    expect(err.details).toMatchObject({ upstream_status: 500 });
  });

  it("uses the status text for empty-body 401s", async () => {
    const clock = new SimClock("manual");
    const sim = createProxmoxSim({ clock });
    const transport = new Transport(
      { label: "pve", scheme: "http", host: "pve", port: 8006, basePath: "", transport: { mode: "direct" }, timeoutMs: 1000, retries: 0, backoffMs: 1 },
      { limiter: new ConnectionLimiter(), fetch: (req) => sim.harness.fetch(req) },
    );
    const client = new ProxmoxClient(transport, { type: "token", token_id: "root@pam!outpost", secret: "wrong" });
    const err = await rejection(client.nodes());
    expect([err.status, err.message]).toEqual([401, "pve rejected the request: Authentication failed!"]);
  });

  it("maps dropped connections to 502 and hung ones to 504 (through the harness fault routes)", async () => {
    const { client, sim } = setup({ timeoutMs: 50 });
    await sim.harness.fetch(new Request("http://sim/_sim/faults", { method: "PUT", body: JSON.stringify({ dropRate: 1 }) }));
    const dropped = await rejection(client.version());
    expect([dropped.status, dropped.code]).toEqual([502, "upstream_unreachable"]);
    await sim.harness.fetch(new Request("http://sim/_sim/faults", { method: "PUT", body: JSON.stringify({ dropRate: 0, timeoutRate: 1, hangMs: 5_000 }) }));
    const hung = await rejection(client.version());
    expect([hung.status, hung.code]).toEqual([504, "upstream_timeout"]);
  });

  it("retries idempotent reads but never a create", async () => {
    const { client, sim } = setup({ retries: 2 });
    sim.harness.faults.configure({ errorRate: 1, errorStatus: 500 });
    await rejection(client.nodes());
    expect(sim.harness.stats().total).toBe(3);
    const err = await rejection(client.createQemu("pve1", { vmid: 950 }));
    expect(err.status).toBe(502);
    expect(sim.harness.stats().total).toBe(4);
  });
});

describe("ProxmoxClient: ticket authentication", () => {
  it("logs in once, sends CSRF on writes, and renews the ticket after 90 minutes", async () => {
    const { client, sim, clock } = setup({ credentials: "password" });
    await client.nodes();
    await client.createPool("ops", "operations");
    expect(requests(sim, "POST /api2/json/access/ticket")).toBe(1);
    clock.advance(91 * 60_000);
    await client.listPools();
    expect(requests(sim, "POST /api2/json/access/ticket")).toBe(2);
    clock.advance(30 * 60_000);
    expect((await client.listPools({ poolid: "ops" }))[0]!.comment).toBe("operations");
    expect(requests(sim, "POST /api2/json/access/ticket")).toBe(2);
    clock.advance(3 * 3600_000);
    await client.version();
    expect(requests(sim, "POST /api2/json/access/ticket")).toBe(3);
  });

  it("logs in again once when the server refuses the ticket", async () => {
    const { client, sim, clock } = setup({ credentials: "password", clientNow: () => 0 });
    expect(await client.login()).toEqual({ username: "root@pam" });
    clock.advance(3 * 3600_000);
    expect((await client.version()).version).toBe("9.1.2");
    expect(requests(sim, "GET /api2/json/version")).toBe(2);
    expect(requests(sim, "POST /api2/json/access/ticket")).toBe(2);
  });

  it("refuses to log in with token credentials", async () => {
    const { client } = setup();
    expect((await rejection(client.login())).status).toBe(400);
  });
});

describe("ProxmoxClient: cluster jobs, pools, HA and access control", () => {
  it("manages backup and replication jobs, pools and HA resources", async () => {
    const { client, sim } = setup();
    const jobs = await client.listBackupJobs();
    expect(jobs.length).toBe(2);
    expect(jobs.find((j) => j.enabled)!["next-run"]).toBeGreaterThan(0);
    const [vm, other, third] = sim.guests("pve1").filter((g) => g.type === "qemu" && g.config.template !== 1).map((g) => g.vmid) as [number, number, number];
    await client.createBackupJob({ id: "outpost-nightly", vmid: [vm], schedule: "*-*-* 03:00", storage: "local", mode: "snapshot", enabled: true });
    expect((await client.getBackupJob("outpost-nightly")).vmid).toBe(String(vm));
    await client.updateBackupJob("outpost-nightly", { enabled: false, delete: ["mode"] });
    const job = await client.getBackupJob("outpost-nightly");
    expect([job.enabled, job.mode]).toEqual([false, undefined]);
    await client.deleteBackupJob("outpost-nightly");
    expect((await client.listBackupJobs()).length).toBe(2);

    const repl = await client.listReplicationJobs();
    expect(repl).toHaveLength(1);
    await client.createReplicationJob({ id: `${other}-0`, target: "pve2", schedule: "*/30" });
    await client.updateReplicationJob(`${other}-0`, { rate: 50, comment: "to pve2" });
    expect(await client.getReplicationJob(`${other}-0`)).toMatchObject({ guest: other, jobnum: 0, target: "pve2", rate: 50 });
    await client.deleteReplicationJob(`${other}-0`, { keep: true });
    expect(await client.listReplicationJobs()).toHaveLength(1);

    await client.createPool("outpost", "Outpost-managed guests");
    expect((await client.listPools()).map((p) => p.poolid)).toContain("outpost");
    await client.createHaResource({ sid: `vm:${third}`, state: "started", max_restart: 2 });
    expect((await client.listHaResources("vm")).map((h) => h.sid)).toContain(`vm:${third}`);
  });

  it("bootstraps a least-privilege token: user, role, token, ACLs on user and token, verified permissions", async () => {
    const { client, sim } = setup();
    await client.createUser({ userid: "outpost@pve", comment: "Outpost control plane" });
    expect((await client.listUsers()).map((u) => u.userid)).toContain("outpost@pve");
    await client.createRole("OutpostProvision", ["VM.Audit", "VM.Allocate", "VM.PowerMgmt"]);
    expect((await client.listRoles()).find((r) => r.roleid === "OutpostProvision")!.privs).toEqual(["VM.Allocate", "VM.Audit", "VM.PowerMgmt"]);
    const created = await client.createToken("outpost@pve", "sync", { privsep: true, comment: "read-only sync" });
    expect(created["full-tokenid"]).toBe("outpost@pve!sync");
    expect(created.info.privsep).toBe(true);
    expect((await client.listTokens("outpost@pve")).map((t) => t.tokenid)).toEqual(["sync"]);
    await client.updateAcl({ path: "/", roles: ["PVEAuditor"], users: ["outpost@pve"] });
    await client.updateAcl({ path: "/", roles: ["PVEAuditor"], tokens: ["outpost@pve!sync"] });
    expect((await client.getAcl()).filter((a) => a.ugid.startsWith("outpost@pve"))).toHaveLength(2);
    const perms = await client.permissions({ userid: "outpost@pve!sync", path: "/vms" });
    expect(perms["/vms"]!["VM.Audit"]).toBe(true);
    expect(perms["/vms"]!["VM.PowerMgmt"]).toBeUndefined();

    const transport = new Transport(
      { label: "pve", scheme: "http", host: "pve", port: 8006, basePath: "", transport: { mode: "direct" }, timeoutMs: 1000, retries: 0, backoffMs: 1 },
      { limiter: new ConnectionLimiter(), fetch: (req) => sim.harness.fetch(req) },
    );
    const sync = new ProxmoxClient(transport, { type: "token", token_id: created["full-tokenid"], secret: created.value });
    expect(await sync.listQemu("pve1")).toHaveLength(6);
    expect((await rejection(sync.startQemu("pve1", 100))).status).toBe(403);

    expect(await client.updateToken("outpost@pve", "sync", { comment: "sync token", expire: 0 })).toMatchObject({ comment: "sync token", privsep: true });
    expect((await client.getToken("outpost@pve", "sync")).comment).toBe("sync token");
    await client.deleteToken("outpost@pve", "sync");
    expect((await rejection(sync.nodes())).status).toBe(401);
  });
});

describe("property strings and UPIDs", () => {
  it("formats and parses NICs, disks and container mounts as PVE writes them", () => {
    expect(formatQemuNet({ model: "virtio", macaddr: "BC:24:11:AA:BB:CC", bridge: "vmbr0", tag: 10, firewall: true, trunks: [20, "30-40"] })).toBe(
      "virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1,tag=10,trunks=20;30-40",
    );
    expect(parseQemuNet("model=e1000,macaddr=BC:24:11:00:00:01,bridge=vmbr1,link_down=1")).toEqual({
      model: "e1000",
      macaddr: "BC:24:11:00:00:01",
      bridge: "vmbr1",
      link_down: true,
    });
    expect(formatIpConfig({ ip: "dhcp", ip6: "auto" })).toBe("ip=dhcp,ip6=auto");
    expect(() => formatIpConfig({ ip: "dhcp", gw: "10.0.0.1" })).toThrow(RangeError);
    expect(newQemuDisk("local-lvm", 32, { iothread: true })).toBe("local-lvm:32,iothread=1");
    expect(cdromDrive("local:iso/x.iso")).toBe("local:iso/x.iso,media=cdrom");
    expect(parseQemuDisk("none,media=cdrom")).toEqual({ file: "none", media: "cdrom" });
    expect(sizeToBytes("32G")).toBe(32 * 1024 ** 3);
    expect(formatLxcNet({ name: "eth0", bridge: "vmbr0", ip: "10.0.0.2/24", gw: "10.0.0.1" })).toBe("name=eth0,bridge=vmbr0,gw=10.0.0.1,ip=10.0.0.2/24");
    expect(newLxcVolume("local-lvm", 4, "/srv")).toBe("local-lvm:4,mp=/srv");
  });

  it("parses UPIDs with token owners and 9-digit pstart, and rejects mock ones", () => {
    expect(parseUpid("UPID:pve1:0001A2B3:1C0FFEE00:6759F3A1:qmstart:100:automation@pve!ansible:")).toEqual({
      upid: "UPID:pve1:0001A2B3:1C0FFEE00:6759F3A1:qmstart:100:automation@pve!ansible:",
      node: "pve1",
      pid: 0x1a2b3,
      pstart: 0x1c0ffee00,
      starttime: 0x6759f3a1,
      type: "qmstart",
      id: "100",
      user: "automation@pve",
      tokenid: "ansible",
    });
    expect(isUpid("UPID:pve-01:mock-1a2b3c4d:qmcreate")).toBe(false);
    expect(() => parseUpid("UPID:pve-01:mock-1a2b3c4d:qmcreate")).toThrow();
  });
});
