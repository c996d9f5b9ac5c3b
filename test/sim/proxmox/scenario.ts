/**
 * The deterministic lab: nodes `pve1..pveN` with `local` (ISO, templates, backups, snippets) and `local-lvm`
 * (guest disks), bridges `vmbr0` (VLAN-aware) and `vmbr1`, QEMU VMs and containers with realistic configs, some
 * snapshots and backups, pools, backup and replication jobs, an HA resource, and root@pam with a privsep=0 token.
 * The same seed always builds the same lab.
 */
import { Rng } from "../common/rng";
import type { Guest, GuestConfig, SimNode, Storage, Volume } from "./model";
import { GiB, MiB, type SimState } from "./state";

export interface ScenarioOptions {
  seed: number;
  nodes: number;
  vmsPerNode: number;
  lxcPerNode: number;
}

export interface ScenarioCredentials {
  root: { username: "root@pam"; password: string };
  token: { token_id: string; secret: string };
}

const ISOS: Array<[string, number]> = [
  ["debian-12.8.0-amd64-netinst.iso", 631 * MiB],
  ["ubuntu-24.04.1-live-server-amd64.iso", 2708 * MiB],
  ["virtio-win-0.1.262.iso", 708 * MiB],
];
const TEMPLATES: Array<[string, number, string]> = [
  ["debian-12-standard_12.7-1_amd64.tar.zst", 120 * MiB, "debian"],
  ["ubuntu-24.04-standard_24.04-2_amd64.tar.zst", 141 * MiB, "ubuntu"],
  ["alpine-3.20-default_20240908_amd64.tar.xz", 3 * MiB, "alpine"],
];
const ROLES = ["web", "db", "app", "ci", "k8s", "mon", "dns", "vpn", "build", "cache"];
const TAG_SETS = ["prod;web", "lab", "db;prod", "ci", "k8s;lab", "monitoring"];
const VLANS = [10, 20, 30, 100];
const CPU_MODELS = ["AMD EPYC 7313P 16-Core Processor", "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", "AMD Ryzen 9 7950X3D 16-Core Processor"];

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function backupName(type: "qemu" | "lxc", vmid: number, ms: number): string {
  const d = new Date(ms);
  const stamp = `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}-${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}`;
  return `local:backup/vzdump-${type}-${vmid}-${stamp}.${type === "qemu" ? "vma" : "tar"}.zst`;
}

function addVolume(storage: Storage, volume: Volume): void {
  storage.volumes.set(volume.volid, volume);
}

export function buildScenario(state: SimState, options: ScenarioOptions): ScenarioCredentials {
  const rng = new Rng(options.seed);
  const now = state.clock.now();
  const nowS = Math.floor(now / 1000);
  let nextVmid = 100;
  const takeVmid = () => {
    const id = nextVmid;
    nextVmid += rng.chance(0.08) ? 2 : 1;
    return id;
  };

  state.pools.set("lab", { poolid: "lab", comment: "Lab guests", storages: new Set() });
  state.pools.set("prod", { poolid: "prod", comment: "Production services", storages: new Set() });

  const guestsByNode: Guest[][] = [];
  for (let i = 1; i <= options.nodes; i++) {
    const node = makeNode(rng, i, now);
    state.addNode(node);
    const local = node.storages.get("local")!;
    const lvm = node.storages.get("local-lvm")!;
    for (const [name, size] of ISOS) addVolume(local, { volid: `local:iso/${name}`, content: "iso", format: "iso", size, ctime: nowS - 86400 * 40 });
    for (const [name, size] of TEMPLATES) addVolume(local, { volid: `local:vztmpl/${name}`, content: "vztmpl", format: "tzst", size, ctime: nowS - 86400 * 30 });
    addVolume(local, { volid: "local:snippets/cloud-init-user.yaml", content: "snippets", format: "snippet", size: 812, ctime: nowS - 86400 * 10 });
    const created: Guest[] = [];
    for (let v = 0; v < options.vmsPerNode; v++) created.push(makeVm(state, rng, node, lvm, local, takeVmid(), v, now, options.vmsPerNode >= 5 && v === 0));
    for (let c = 0; c < options.lxcPerNode; c++) created.push(makeContainer(state, rng, node, lvm, local, takeVmid(), c, now));
    guestsByNode.push(created);
    sizeStorages(state, node);
  }

  addJobs(state, rng, guestsByNode);
  const password = `pve-${rng.hex(6)}`;
  state.access.addUser("root@pam", { password, comment: "Built-in Superuser", email: "root@lab.invalid" });
  const token = state.access.addToken("root@pam", "outpost", { privsep: false, comment: "lab registration" });
  return { root: { username: "root@pam", password }, token: { token_id: "root@pam!outpost", secret: token.secret } };
}

function makeNode(rng: Rng, i: number, now: number): SimNode {
  const ip = `192.168.100.${10 + i}`;
  const storages = new Map<string, Storage>([
    ["local", { id: "local", type: "dir", content: ["iso", "vztmpl", "backup", "snippets"], total: 200 * GiB, shared: false, volumes: new Map() }],
    ["local-lvm", { id: "local-lvm", type: "lvmthin", content: ["images", "rootdir"], total: 1024 * GiB, shared: false, volumes: new Map() }],
  ]);
  return {
    name: `pve${i}`,
    nodeid: i,
    ip,
    cpus: rng.pick([16, 24, 32, 48, 64]),
    cpuModel: rng.pick(CPU_MODELS),
    memTotal: rng.pick([64, 128, 256]) * GiB,
    rootfsTotal: 96 * GiB,
    bootedAt: now - rng.int(2, 120) * 86400_000 - rng.int(0, 86_399_000),
    phase: rng.next() * 2 * Math.PI,
    storages,
    network: [
      { iface: "eno1", type: "eth", method: "manual" },
      { iface: "eno2", type: "eth", method: "manual" },
      {
        iface: "vmbr0",
        type: "bridge",
        method: "static",
        address: ip,
        netmask: "255.255.255.0",
        cidr: `${ip}/24`,
        gateway: "192.168.100.1",
        bridge_ports: "eno1",
        bridge_vlan_aware: true,
        comments: "LAN (VLAN-aware)",
      },
      { iface: "vmbr1", type: "bridge", method: "manual", bridge_ports: "eno2", comments: "Storage/backup network" },
    ],
    nextPid: rng.int(2000, 9000),
  };
}

/** Grows storages so the generated lab always fits with headroom (thin pools are sized to their guests). */
function sizeStorages(state: SimState, node: SimNode): void {
  for (const s of node.storages.values()) {
    const used = state.usedBytes(s);
    const wanted = Math.ceil((used * 1.5) / (64 * GiB)) * 64 * GiB;
    if (wanted > s.total) s.total = wanted;
  }
}

function newGuestRecord(rng: Rng, vmid: number, type: "qemu" | "lxc", node: SimNode, config: GuestConfig, running: boolean, now: number): Guest {
  const startedAt = running ? now - rng.int(600, 30 * 86400) * 1000 : 0;
  return {
    vmid,
    type,
    node: node.name,
    config,
    status: running ? "running" : "stopped",
    startedAt,
    pid: running ? (node.nextPid += rng.int(1, 40)) : 0,
    snapshots: new Map(),
    phase: rng.next() * 2 * Math.PI,
  };
}

function makeVm(state: SimState, rng: Rng, node: SimNode, lvm: Storage, local: Storage, vmid: number, index: number, now: number, template: boolean): Guest {
  const nowS = Math.floor(now / 1000);
  const role = rng.pick(ROLES);
  const sizeG = template ? 16 : rng.pick([16, 32, 64, 128]);
  const diskName = template ? `base-${vmid}-disk-0` : `vm-${vmid}-disk-0`;
  addVolume(lvm, { volid: `local-lvm:${diskName}`, content: "images", format: "raw", size: sizeG * GiB, ctime: nowS - rng.int(1, 200) * 86400, vmid });
  const ctime = nowS - rng.int(1, 300) * 86400;
  const config: GuestConfig = {
    name: template ? `tpl-ubuntu-2404-${node.name}` : `${role}-${node.name}-${pad(index, 3)}`,
    memory: String(rng.pick([1024, 2048, 4096, 8192])),
    cores: template ? 2 : rng.pick([1, 2, 4, 8]),
    sockets: 1,
    cpu: "x86-64-v2-AES",
    ostype: "l26",
    scsihw: "virtio-scsi-single",
    agent: "1",
    scsi0: `local-lvm:${diskName},iothread=1,size=${sizeG}G`,
    boot: "order=scsi0;ide2;net0",
    smbios1: `uuid=${rng.uuid()}`,
    vmgenid: rng.uuid(),
    meta: `creation-qemu=9.0.2,ctime=${ctime}`,
  };
  const tag = rng.chance(0.4) ? rng.pick(VLANS) : undefined;
  config.net0 = `virtio=${rng.mac([0xbc, 0x24, 0x11])},bridge=vmbr0,firewall=1${tag ? `,tag=${tag}` : ""}`;
  if (rng.chance(0.2)) config.net1 = `virtio=${rng.mac([0xbc, 0x24, 0x11])},bridge=vmbr1`;
  const ci = template || rng.chance(0.4);
  if (ci) {
    addVolume(lvm, { volid: `local-lvm:vm-${vmid}-cloudinit`, content: "images", format: "raw", size: 4 * MiB, ctime, vmid });
    config.ide2 = `local-lvm:vm-${vmid}-cloudinit,media=cdrom`;
    config.ciuser = "ops";
    const host = (index % 250) + 2;
    config.ipconfig0 = template ? "ip=dhcp" : `ip=10.${20 + node.nodeid}.${Math.floor(index / 250)}.${host}/16,gw=10.${20 + node.nodeid}.0.1`;
  } else if (rng.chance(0.3)) {
    config.ide2 = `local:iso/${rng.pick(ISOS)[0]},media=cdrom,size=${rng.int(600, 2700)}M`;
  } else {
    config.ide2 = "none,media=cdrom";
  }
  if (template) config.template = 1;
  if (!template && rng.chance(0.5)) config.tags = rng.pick(TAG_SETS);
  const running = !template && rng.chance(0.7);
  if (running && rng.chance(0.6)) config.onboot = 1;
  const guest = newGuestRecord(rng, vmid, "qemu", node, config, running, now);
  if (typeof config.tags === "string" && config.tags.includes("prod")) guest.pool = "prod";
  else if (!template && rng.chance(0.2)) guest.pool = "lab";
  addHistory(rng, guest, local, now);
  state.addGuest(guest);
  return guest;
}

function makeContainer(state: SimState, rng: Rng, node: SimNode, lvm: Storage, local: Storage, vmid: number, index: number, now: number): Guest {
  const nowS = Math.floor(now / 1000);
  const [, , ostype] = rng.pick(TEMPLATES);
  const sizeG = rng.pick([4, 8, 16]);
  addVolume(lvm, { volid: `local-lvm:vm-${vmid}-disk-0`, content: "rootdir", format: "raw", size: sizeG * GiB, ctime: nowS - rng.int(1, 200) * 86400, vmid });
  const tag = rng.chance(0.3) ? rng.pick(VLANS) : undefined;
  const host = (index % 250) + 2;
  const net = `10.${40 + node.nodeid}`;
  const config: GuestConfig = {
    arch: "amd64",
    hostname: `ct-${rng.pick(ROLES)}-${node.name}-${pad(index, 3)}`,
    ostype,
    memory: rng.pick([512, 1024, 2048]),
    swap: 512,
    cores: rng.pick([1, 2]),
    rootfs: `local-lvm:vm-${vmid}-disk-0,size=${sizeG}G`,
    net0: `name=eth0,bridge=vmbr0,firewall=1,gw=${net}.0.1,hwaddr=${rng.mac([0xbc, 0x24, 0x11])},ip=${net}.${Math.floor(index / 250)}.${host}/16${tag ? `,tag=${tag}` : ""},type=veth`,
    features: "nesting=1",
    unprivileged: 1,
  };
  if (rng.chance(0.4)) config.tags = rng.pick(TAG_SETS);
  const running = rng.chance(0.75);
  if (running && rng.chance(0.6)) config.onboot = 1;
  const guest = newGuestRecord(rng, vmid, "lxc", node, config, running, now);
  if (typeof config.tags === "string" && config.tags.includes("prod")) guest.pool = "prod";
  addHistory(rng, guest, local, now);
  state.addGuest(guest);
  return guest;
}

/** Some guests get a snapshot and some a backup in `local`. */
function addHistory(rng: Rng, guest: Guest, local: Storage, now: number): void {
  const nowS = Math.floor(now / 1000);
  if (guest.config.template !== 1 && rng.chance(0.1)) {
    const snaptime = nowS - rng.int(1, 60) * 86400;
    guest.snapshots.set("pre-upgrade", { name: "pre-upgrade", description: "before apt full-upgrade", snaptime, vmstate: false, config: { ...guest.config } });
    guest.parent = "pre-upgrade";
  }
  if (rng.chance(guest.type === "qemu" ? 0.3 : 0.2)) {
    const taken = now - rng.int(1, 14) * 86400_000 - rng.int(0, 3600_000);
    const volid = backupName(guest.type, guest.vmid, taken);
    local.volumes.set(volid, {
      volid,
      content: "backup",
      format: guest.type === "qemu" ? "vma.zst" : "tar.zst",
      size: rng.int(300, 6000) * MiB,
      ctime: Math.floor(taken / 1000),
      vmid: guest.vmid,
      notes: typeof guest.config.name === "string" ? guest.config.name : String(guest.config.hostname ?? guest.vmid),
      backupOf: { type: guest.type, config: { ...guest.config } },
    });
  }
}

function addJobs(state: SimState, rng: Rng, guestsByNode: Guest[][]): void {
  const weekly = `backup-${rng.hex(4)}-${rng.hex(2)}`;
  state.backupJobs.set(weekly, {
    id: weekly,
    type: "vzdump",
    schedule: "sun 01:00",
    storage: "local",
    mode: "snapshot",
    compress: "zstd",
    enabled: 1,
    all: 1,
    "prune-backups": "keep-last=3",
    "notes-template": "{{guestname}}",
    comment: "weekly full backup",
  });
  const first = guestsByNode[0]?.filter((g) => g.config.template !== 1) ?? [];
  if (first.length >= 2) {
    const nightly = `backup-${rng.hex(4)}-${rng.hex(2)}`;
    state.backupJobs.set(nightly, {
      id: nightly,
      type: "vzdump",
      schedule: "*-*-* 02:30",
      storage: "local",
      mode: "snapshot",
      compress: "zstd",
      enabled: 0,
      vmid: first.slice(0, 2).map((g) => g.vmid).join(","),
      comment: "nightly (paused)",
    });
  }
  if (state.nodes.size >= 2 && first.length >= 1) {
    const g = first[0]!;
    state.replicationJobs.set(`${g.vmid}-0`, { id: `${g.vmid}-0`, guest: g.vmid, jobnum: 0, type: "local", target: "pve2", source: g.node, schedule: "*/15" });
    state.haResources.set(`${g.type === "qemu" ? "vm" : "ct"}:${g.vmid}`, { sid: `${g.type === "qemu" ? "vm" : "ct"}:${g.vmid}`, type: g.type === "qemu" ? "vm" : "ct", state: "started", max_restart: 1, max_relocate: 1 });
  }
}
