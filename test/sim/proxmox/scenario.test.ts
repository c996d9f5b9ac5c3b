/** The generated lab: deterministic per seed, realistic content, fast at scale, counted and cost-modelled per node. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../common/clock";
import { createProxmoxSim } from "./index";
import { UPID_RE, call } from "./testing";

const manual = () => new SimClock("manual");

describe("PVE scenario", () => {
  it("builds the same lab from the same seed and a different one from another seed", async () => {
    const a = createProxmoxSim({ nodes: 2, vmsPerNode: 6, lxcPerNode: 3, seed: 42, clock: manual() });
    const b = createProxmoxSim({ nodes: 2, vmsPerNode: 6, lxcPerNode: 3, seed: 42, clock: manual() });
    const c = createProxmoxSim({ nodes: 2, vmsPerNode: 6, lxcPerNode: 3, seed: 43, clock: manual() });
    const snapshot = async (sim: typeof a) => {
      const res = (await call(sim, "GET", "/cluster/resources")).data;
      const configs = [];
      for (const g of sim.guests()) configs.push((await call(sim, "GET", `/nodes/${g.node}/${g.type}/${g.vmid}/config`)).data);
      return JSON.stringify({ res, configs, token: sim.credentials.token.secret });
    };
    expect(await snapshot(a)).toBe(await snapshot(b));
    expect(await snapshot(a)).not.toBe(await snapshot(c));
    const ids = a.guests().map((g) => g.vmid);
    expect(new Set(ids).size).toBe(18);
  });

  it("has realistic configs: memory as a string, NICs with BC:24:11 MACs and VLANs, disks, cloud-init, templates", () => {
    const sim = createProxmoxSim({ nodes: 1, vmsPerNode: 40, lxcPerNode: 10, seed: 5, clock: manual() });
    const vms = sim.guests().filter((g) => g.type === "qemu");
    expect(vms.every((g) => typeof g.config.memory === "string")).toBe(true);
    expect(vms.every((g) => /^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0/.test(String(g.config.net0)))).toBe(true);
    expect(vms.some((g) => /,tag=\d+/.test(String(g.config.net0)))).toBe(true);
    expect(vms.some((g) => g.config.net1 !== undefined)).toBe(true);
    expect(vms.some((g) => String(g.config.ide2).endsWith("-cloudinit,media=cdrom") && typeof g.config.ipconfig0 === "string")).toBe(true);
    expect(vms.filter((g) => g.config.template === 1)).toHaveLength(1);
    expect(vms.some((g) => g.status === "running") && vms.some((g) => g.status === "stopped")).toBe(true);
    const cts = sim.guests().filter((g) => g.type === "lxc");
    expect(cts.every((g) => /^name=eth0,bridge=vmbr0,firewall=1,gw=[\d.]+,hwaddr=BC:24:11:[0-9A-F:]{8},ip=[\d.]+\/16(,tag=\d+)?,type=veth$/.test(String(g.config.net0)))).toBe(true);
    expect(sim.guests().some((g) => g.snapshots.size > 0)).toBe(true);
    expect(sim.backupJobs().size).toBe(2);
  });

  it("serves storage, network and cluster views with the undocumented fields real PVE sends", async () => {
    const sim = createProxmoxSim({ nodes: 2, vmsPerNode: 2, seed: 9, clock: manual() });
    const nodes = (await call(sim, "GET", "/nodes")).data;
    expect(nodes[0]).toMatchObject({ id: "node/pve1", type: "node", node: "pve1", status: "online" });
    expect(nodes[0].maxdisk).toBeGreaterThan(0);
    const storages = (await call(sim, "GET", "/nodes/pve1/storage", { params: { content: "images" } })).data;
    expect(storages.map((s: { storage: string }) => s.storage)).toEqual(["local-lvm"]);
    const isos = (await call(sim, "GET", "/nodes/pve1/storage/local/content", { params: { content: "iso" } })).data;
    expect(isos[0]).toMatchObject({ content: "iso", format: "iso" });
    const bridges = (await call(sim, "GET", "/nodes/pve1/network", { params: { type: "any_bridge" } })).data;
    expect(bridges.map((b: { iface: string }) => b.iface)).toEqual(["vmbr0", "vmbr1"]);
    expect(bridges[0].bridge_vlan_aware).toBe(1);
    const status = (await call(sim, "GET", "/cluster/status")).data;
    expect(status[0]).toMatchObject({ type: "cluster", name: "lab", nodes: 2, quorate: 1 });
    expect((await call(sim, "GET", "/cluster/replication")).data).toHaveLength(1);
    const next = await call(sim, "GET", "/cluster/nextid", { params: { vmid: sim.guests()[0]!.vmid } });
    expect(next.status).toBe(400);
  });

  it("moves node and guest metrics with the clock", async () => {
    const clock = manual();
    const sim = createProxmoxSim({ nodes: 1, vmsPerNode: 10, seed: 2, clock });
    const running = sim.guests().find((g) => g.status === "running")!;
    const read = async () => (await call(sim, "GET", `/nodes/pve1/qemu/${running.vmid}/status/current`)).data;
    const before = await read();
    const nodeBefore = (await call(sim, "GET", "/nodes/pve1/status")).data;
    clock.advance(120_000);
    const after = await read();
    expect(after.uptime - before.uptime).toBe(120);
    expect(after.netin).toBeGreaterThan(before.netin);
    expect((await call(sim, "GET", "/nodes/pve1/status")).data.uptime - nodeBefore.uptime).toBe(120);
  });

  it("holds 2 nodes × 200 VMs and answers list and config calls fast", async () => {
    const started = performance.now();
    const sim = createProxmoxSim({ nodes: 2, vmsPerNode: 200, lxcPerNode: 20, seed: 1, clock: manual() });
    const all = (await call(sim, "GET", "/cluster/resources", { params: { type: "vm" } })).data;
    expect(all).toHaveLength(440);
    const list = (await call(sim, "GET", "/nodes/pve2/qemu")).data;
    expect(list).toHaveLength(200);
    for (const g of list.slice(0, 50)) expect((await call(sim, "GET", `/nodes/pve2/qemu/${g.vmid}/config`)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("issues UPIDs that match pve-common's decode regex", async () => {
    const sim = createProxmoxSim({ nodes: 1, vmsPerNode: 2, seed: 4, clock: manual() });
    const upids = [
      (await call(sim, "POST", "/nodes/pve1/qemu", { params: { vmid: 900 } })).data,
      (await call(sim, "POST", "/nodes/pve1/vzdump", { params: { all: 1 } })).data,
    ];
    for (const upid of upids) expect(upid).toMatch(UPID_RE);
    expect(upids[1]).toMatch(/:vzdump::root@pam!outpost:$/);
  });

  it("counts requests by route template and queues them per node", async () => {
    const sim = createProxmoxSim({ nodes: 2, vmsPerNode: 2, seed: 4, clock: manual() });
    await call(sim, "GET", "/nodes/pve1/qemu");
    await call(sim, "GET", "/nodes/pve2/qemu");
    await call(sim, "GET", "/nosuch");
    const stats = sim.harness.stats();
    expect(stats.requests["GET /api2/json/nodes/{node}/qemu"]).toBe(2);
    expect(stats.requests["GET /api2/json/*"]).toBe(1);
    expect(stats.objects_read).toBe(4);
  });

  it("answers injected faults with PVE-shaped bodies", async () => {
    const sim = createProxmoxSim({ seed: 4, clock: manual() });
    sim.harness.faults.configure({ errorRate: 1, errorStatus: 503 });
    const r = await call(sim, "GET", "/version");
    expect([r.status, r.body]).toEqual([503, { data: null, message: "Service Unavailable\n" }]);
    sim.harness.faults.configure({ errorStatus: 401 });
    const unauthorized = await call(sim, "GET", "/version");
    expect([unauthorized.status, unauthorized.text]).toEqual([401, ""]);
  });
});
