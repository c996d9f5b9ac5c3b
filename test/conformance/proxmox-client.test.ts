/**
 * (b) Every request the typed Proxmox client can make matches an endpoint of the real schema (pve-docs 9.1.3) and
 * uses only declared parameters, with values of the declared type, and all required ones. Each public client
 * method is driven against the simulator through a recording transport, and the test fails if a method was not
 * exercised — so a new method cannot escape the check.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConnectionLimiter } from "../../src/upstream/limiter";
import { ProxmoxClient, cdromDrive, formatIpConfig, formatLxcNet, formatQemuNet, newLxcVolume, newQemuDisk } from "../../src/upstream/proxmox";
import { Transport } from "../../src/upstream/transport";
import { SimClock } from "../sim/common/clock";
import { createProxmoxSim } from "../sim/proxmox";

interface SchemaProperty {
  type?: string;
  optional?: number;
  enum?: string[];
}
interface SchemaNode {
  path: string;
  info?: Record<string, { parameters?: { properties?: Record<string, SchemaProperty> } }>;
  children?: SchemaNode[];
}

const fixture = path.resolve(import.meta.dirname, "../../../shared/fixtures/pve-api-schema-9.1.3.json");
const tree = JSON.parse(fs.readFileSync(fixture, "utf8")) as SchemaNode[];
const templates: Array<{ template: string; re: RegExp; literals: number; node: SchemaNode }> = [];
(function walk(nodes: SchemaNode[]) {
  for (const n of nodes) {
    if (n.info) {
      const re = new RegExp(`^${n.path.replace(/\{[^}]+\}/g, "([^/]+)")}$`);
      templates.push({ template: n.path, re, literals: n.path.split("/").filter((s) => s && !s.startsWith("{")).length, node: n });
    }
    if (n.children) walk(n.children);
  }
})(tree);

interface Recorded {
  method: string;
  path: string;
  params: Map<string, string[]>;
}

function matchTemplate(p: string) {
  const hits = templates.filter((t) => t.re.test(p)).sort((a, b) => b.literals - a.literals);
  return hits[0];
}

/** Highest index of collapsed `name[n]` options, from the fixture README (the schema itself does not say). */
const INDEX_MAX: Record<string, number> = { net: 31, ipconfig: 31, ide: 3, sata: 5, scsi: 30, virtio: 15, mp: 255, unused: 255 };

/** The schema property of a concrete name, expanding `net0` → `net[n]` within the real index range. */
function propertyOf(props: Record<string, SchemaProperty>, name: string): SchemaProperty | undefined {
  if (props[name]) return props[name];
  const m = /^([a-z][a-z_-]*?)(\d+)$/.exec(name);
  if (!m || Number(m[2]) > (INDEX_MAX[m[1]!] ?? Number.POSITIVE_INFINITY)) return undefined;
  return props[`${m[1]}[n]`];
}

function typeProblem(prop: SchemaProperty, value: string): string | undefined {
  if (prop.type === "integer" && !/^[+-]?\d+$/.test(value)) return `not an integer: ${value}`;
  if (prop.type === "number" && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return `not a number: ${value}`;
  if (prop.type === "boolean" && value !== "0" && value !== "1") return `not a form boolean: ${value}`;
  if (prop.enum && !prop.enum.includes(value)) return `not in enum: ${value}`;
  return undefined;
}

/** Checks one recorded request against the schema; returns the problems found. */
function checkRequest(r: Recorded): string[] {
  const hit = matchTemplate(r.path);
  if (!hit) return [`${r.method} ${r.path}: no such path in the schema`];
  const info = hit.node.info?.[r.method];
  if (!info) return [`${r.method} ${hit.template}: method not in the schema`];
  const props = info.parameters?.properties ?? {};
  const problems: string[] = [];
  const given = new Map(r.params);
  const names = [...hit.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const values = hit.re.exec(r.path)!.slice(1);
  names.forEach((n, i) => given.set(n, [decodeURIComponent(values[i]!)]));
  for (const [name, list] of given) {
    const prop = propertyOf(props, name);
    if (!prop) {
      problems.push(`${r.method} ${hit.template}: undeclared parameter ${name}`);
      continue;
    }
    if (list.length > 1 && prop.type !== "array") problems.push(`${r.method} ${hit.template}: ${name} given ${list.length} times`);
    for (const v of list) {
      const p = typeProblem(prop.type === "array" ? { type: "string" } : prop, v);
      if (p) problems.push(`${r.method} ${hit.template}: ${name} ${p}`);
    }
  }
  for (const [name, prop] of Object.entries(props)) {
    if (!prop.optional && !name.endsWith("[n]") && !given.has(name)) problems.push(`${r.method} ${hit.template}: missing required ${name}`);
  }
  return problems;
}

describe("Proxmox client requests conform to the pve-docs 9.1.3 schema", () => {
  it("every public method is exercised and every request it sends is declared", async () => {
    const clock = new SimClock("manual");
    const sim = createProxmoxSim({ nodes: 2, vmsPerNode: 6, lxcPerNode: 2, clock, seed: 31 });
    const recorded: Recorded[] = [];
    const fetch = async (req: Request) => {
      const url = new URL(req.url);
      const params = new Map<string, string[]>();
      const add = (k: string, v: string) => params.set(k, [...(params.get(k) ?? []), v]);
      for (const [k, v] of url.searchParams) add(k, v);
      const body = await req.clone().text();
      for (const [k, v] of new URLSearchParams(body)) add(k, v);
      recorded.push({ method: req.method, path: decodeURI(url.pathname).replace(/^\/api2\/json/, ""), params });
      return sim.harness.fetch(req);
    };
    const target = { label: "pve", scheme: "http" as const, host: "pve", port: 8006, basePath: "", transport: { mode: "direct" as const }, timeoutMs: 5000, retries: 0, backoffMs: 1 };
    const transport = new Transport(target, { limiter: new ConnectionLimiter(), fetch });
    const called = new Set<string>();
    const track = (client: ProxmoxClient) =>
      new Proxy(client, {
        get(obj, prop, receiver) {
          const value = Reflect.get(obj, prop, receiver);
          if (typeof value !== "function" || typeof prop !== "string") return value;
          return (...args: unknown[]) => {
            called.add(prop);
            return (value as (...a: unknown[]) => unknown).apply(obj, args);
          };
        },
      });
    const options = { now: () => clock.now(), sleep: async (ms: number) => clock.advance(ms) };
    const c = track(new ProxmoxClient(transport, { type: "token", token_id: sim.credentials.token.token_id, secret: sim.credentials.token.secret }, options));
    const ticketClient = track(new ProxmoxClient(transport, { type: "password", username: "root@pam", password: sim.credentials.root.password }, options));

    await ticketClient.login();
    await c.version();
    await c.clusterStatus();
    await c.clusterResources("vm");
    await c.nodes();
    await c.nodeStatus("pve1");
    await c.network("pve1", "any_bridge");
    await c.listStorage("pve1", { content: ["images"], enabled: true });
    await c.storageContent("pve1", "local", { content: "iso" });
    await c.storageStatus("pve1", "local-lvm");
    await c.listQemu("pve1", { full: true });
    await c.listLxc("pve1");
    const vmid = await c.nextId();
    await c.nextId(vmid);
    const wait = (upid: string) => c.waitForTask("pve1", upid, { pollMs: 1000 });
    await wait(
      await c.createQemu("pve1", {
        vmid,
        name: "conf-vm",
        memory: 1024,
        cores: 1,
        ostype: "l26",
        scsihw: "virtio-scsi-single",
        agent: "1",
        onboot: true,
        scsi0: newQemuDisk("local-lvm", 8, { iothread: true }),
        ide2: cdromDrive("local:iso/debian-12.8.0-amd64-netinst.iso"),
        net0: formatQemuNet({ model: "virtio", bridge: "vmbr0", tag: 10 }),
        ipconfig0: formatIpConfig({ ip: "dhcp" }),
        sshkeys: "ssh-ed25519 AAAA test@lab",
      }),
    );
    const config = await c.qemuConfig("pve1", vmid, { current: true });
    await c.updateQemuConfig("pve1", vmid, { cores: 2, digest: config.digest, delete: ["onboot"] });
    await wait((await c.updateQemuConfigAsync("pve1", vmid, { description: "async" }))!);
    await wait(await c.startQemu("pve1", vmid, { timeout: 60 }));
    await c.qemuStatus("pve1", vmid);
    await wait(await c.rebootQemu("pve1", vmid, { timeout: 60 }));
    await wait(await c.resetQemu("pve1", vmid));
    await wait(await c.createSnapshot("pve1", "qemu", vmid, { snapname: "s1", description: "d", vmstate: true }));
    await c.listSnapshots("pve1", "qemu", vmid);
    await wait(await c.shutdownQemu("pve1", vmid, { timeout: 30, forceStop: true }));
    await wait(await c.rollbackSnapshot("pve1", "qemu", vmid, "s1", { start: false }));
    await wait(await c.deleteSnapshot("pve1", "qemu", vmid, "s1", { force: false }));
    // The snapshot kept the RAM state, so the rollback resumed the VM.
    await wait(await c.stopQemu("pve1", vmid, { timeout: 10 }));
    await wait(await c.vzdump("pve1", { vmid: [vmid], storage: "local", mode: "snapshot", compress: "zstd", protected: true, "notes-template": "{{guestname}}", "prune-backups": "keep-last=2" }));
    const cloneId = await c.nextId();
    await wait(await c.cloneQemu("pve1", vmid, { newid: cloneId, name: "conf-clone", full: true }));
    await wait(await c.deleteQemu("pve1", cloneId, { purge: true, "destroy-unreferenced-disks": true }));

    const ctid = await c.nextId();
    await wait(
      await c.createLxc("pve1", {
        vmid: ctid,
        ostemplate: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
        hostname: "conf-ct",
        rootfs: newLxcVolume("local-lvm", 4),
        net0: formatLxcNet({ name: "eth0", bridge: "vmbr0", ip: "dhcp" }),
        unprivileged: true,
        password: "secret-pass",
      }),
    );
    await c.lxcConfig("pve1", ctid);
    await c.updateLxcConfig("pve1", ctid, { memory: 768, delete: ["description"] });
    await wait(await c.startLxc("pve1", ctid));
    await c.lxcStatus("pve1", ctid);
    await wait(await c.rebootLxc("pve1", ctid, { timeout: 10 }));
    await wait(await c.shutdownLxc("pve1", ctid, { timeout: 10, forceStop: true }));
    await wait(await c.startLxc("pve1", ctid));
    await wait(await c.stopLxc("pve1", ctid));
    await wait(await c.deleteLxc("pve1", ctid, { purge: true, force: true }));

    const running = await c.createQemu("pve1", { vmid: await c.nextId() });
    await c.listTasks("pve1", { source: "all", limit: 10, errors: false, typefilter: "qmcreate", vmid, statusfilter: "ok" });
    await c.taskStatus("pve1", running);
    await c.taskLog("pve1", running, { start: 0, limit: 20 });
    await c.stopTask("pve1", running);

    await c.listBackupJobs();
    await c.createBackupJob({ id: "conf-job", vmid: [vmid], schedule: "sat 02:00", storage: "local", mode: "snapshot", compress: "zstd", enabled: true, comment: "c" });
    await c.getBackupJob("conf-job");
    await c.updateBackupJob("conf-job", { enabled: false, delete: ["comment"] });
    await c.deleteBackupJob("conf-job");
    await c.listReplicationJobs();
    await c.createReplicationJob({ id: `${vmid}-1`, target: "pve2", schedule: "*/30", rate: 10, comment: "r", disable: false });
    await c.getReplicationJob(`${vmid}-1`);
    await c.updateReplicationJob(`${vmid}-1`, { schedule: "*/20", delete: ["comment"] });
    await c.deleteReplicationJob(`${vmid}-1`, { keep: true, force: false });
    await c.createPool("conf-pool", "pool");
    await c.listPools({ poolid: "conf-pool", type: "qemu" });
    await c.createHaResource({ sid: `vm:${vmid}`, state: "started", max_restart: 1, max_relocate: 1, comment: "ha" });
    await c.listHaResources("vm");

    await c.createUser({ userid: "conf@pve", comment: "c", email: "conf@lab.invalid", enable: true, expire: 0 });
    await c.listUsers({ enabled: true, full: true });
    await c.createRole("ConfRole", ["VM.Audit"]);
    await c.listRoles();
    await c.createToken("conf@pve", "t1", { privsep: true, expire: 0, comment: "t" });
    await c.listTokens("conf@pve");
    await c.getToken("conf@pve", "t1");
    await c.updateToken("conf@pve", "t1", { comment: "u", delete: ["expire"] });
    await c.updateAcl({ path: "/vms", roles: ["ConfRole"], users: ["conf@pve"], propagate: true });
    await c.updateAcl({ path: "/vms", roles: ["ConfRole"], tokens: ["conf@pve!t1"], delete: true });
    await c.getAcl();
    await c.permissions({ path: "/vms", userid: "conf@pve!t1" });
    await c.deleteToken("conf@pve", "t1");

    const publicMethods = Object.getOwnPropertyNames(ProxmoxClient.prototype).filter((m) => m !== "constructor");
    expect(publicMethods.length).toBeGreaterThan(60);
    expect(publicMethods.filter((m) => !called.has(m))).toEqual([]);

    expect(recorded.length).toBeGreaterThan(100);
    const problems = recorded.flatMap(checkRequest);
    expect(problems).toEqual([]);
    const endpoints = new Set(recorded.map((r) => `${r.method} ${matchTemplate(r.path)!.template}`));
    expect(endpoints.size).toBeGreaterThan(60);
  });

  it("the checker itself catches undeclared parameters, wrong types, missing ones and unknown paths", () => {
    const bad: Recorded = { method: "POST", path: "/nodes/pve1/qemu", params: new Map([["onboot", ["true"]], ["net40", ["virtio"]], ["colour", ["red"]]]) };
    expect(checkRequest(bad)).toEqual([
      "POST /nodes/{node}/qemu: onboot not a form boolean: true",
      "POST /nodes/{node}/qemu: undeclared parameter net40",
      "POST /nodes/{node}/qemu: undeclared parameter colour",
      "POST /nodes/{node}/qemu: missing required vmid",
    ]);
    expect(checkRequest({ method: "GET", path: "/nodes/pve1/vms", params: new Map() })).toEqual(["GET /nodes/pve1/vms: no such path in the schema"]);
    expect(checkRequest({ method: "PATCH", path: "/version", params: new Map() })).toEqual(["PATCH /version: method not in the schema"]);
  });
});
