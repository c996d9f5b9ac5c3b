/** Version, cluster status and resources, nextid, nodes, node status, network, storage, pools and HA resources. */
import { die, paramError } from "../errors";
import { splitList } from "../formats";
import type { SimNode, Storage } from "../model";
import type { HandlerContext, PveRouter } from "../router";
import { nodeStats } from "../stats";
import type { SimState } from "../state";
import { canSeeVolume } from "./guest-lifecycle";
import { guestName, int, resourceEntry, str } from "./helpers";

export const PVE_VERSION = { version: "9.1.2", release: "9.1", repoid: "3b2f7c4d9e1a5b60" };
const KERNEL = "6.17.2-1-pve";

const storageAudit = (ctx: HandlerContext, id: string) => ctx.can(`/storage/${id}`, ["Datastore.Audit", "Datastore.AllocateSpace"], true);

function storageSummary(state: SimState, s: Storage) {
  const used = state.usedBytes(s);
  return { total: s.total, used, avail: Math.max(0, s.total - used), used_fraction: s.total > 0 ? used / s.total : 0 };
}

function nodeEntry(ctx: HandlerContext, node: SimNode, now: number): Record<string, unknown> {
  const base = { id: `node/${node.name}`, type: "node", node: node.name, status: "online" };
  if (!ctx.can(`/nodes/${node.name}`, ["Sys.Audit"])) return base;
  const s = nodeStats(ctx.state, node, now);
  return { ...base, cpu: s.cpu, maxcpu: s.maxcpu, mem: s.mem, maxmem: s.maxmem, disk: s.disk, maxdisk: s.maxdisk, uptime: s.uptime, level: "", "cgroup-mode": 2 };
}

export function clusterRoutes(r: PveRouter): void {
  r.on("GET /version", { handler: () => ({ data: { ...PVE_VERSION, console: "xtermjs" } }) });

  r.on("GET /cluster/status", {
    perm: { path: "/", privs: ["Sys.Audit"] },
    handler: ({ state }) => {
      const nodes = [...state.nodes.values()];
      const data: Record<string, unknown>[] = [
        { type: "cluster", id: "cluster", name: state.clusterName, nodes: nodes.length, quorate: 1, version: nodes.length + 2 },
        ...nodes.map((n, i) => ({ type: "node", id: `node/${n.name}`, name: n.name, ip: n.ip, level: "", local: i === 0 ? 1 : 0, nodeid: n.nodeid, online: 1 })),
      ];
      return { data, reads: data.length };
    },
  });

  r.on("GET /cluster/resources", {
    handler: (ctx) => {
      const { state, params } = ctx;
      const type = str(params, "type");
      const now = state.now();
      const data: Record<string, unknown>[] = [];
      if (!type || type === "node") for (const n of state.nodes.values()) data.push(nodeEntry(ctx, n, now));
      if (!type || type === "vm") {
        for (const g of state.guests.values()) {
          if (!ctx.can(`/vms/${g.vmid}`, ["VM.Audit"])) continue;
          const ha = state.haResources.get(`${g.type === "qemu" ? "vm" : "ct"}:${g.vmid}`);
          data.push(resourceEntry(g, now, ha ? String(ha.state) : undefined));
        }
      }
      if (!type || type === "storage") {
        for (const n of state.nodes.values()) {
          for (const s of n.storages.values()) {
            if (!storageAudit(ctx, s.id)) continue;
            const sum = storageSummary(state, s);
            data.push({
              id: `storage/${n.name}/${s.id}`,
              type: "storage",
              node: n.name,
              storage: s.id,
              status: "available",
              plugintype: s.type,
              content: s.content.join(","),
              shared: s.shared ? 1 : 0,
              disk: sum.used,
              maxdisk: s.total,
            });
          }
        }
      }
      if (!type || type === "sdn") {
        for (const n of state.nodes.values()) data.push({ id: `sdn/${n.name}/localnetwork`, type: "sdn", sdn: "localnetwork", node: n.name, status: "ok" });
      }
      if (!type) {
        for (const p of state.pools.values()) if (ctx.can(`/pool/${p.poolid}`, ["Pool.Audit"])) data.push({ id: `/pool/${p.poolid}`, type: "pool", pool: p.poolid });
      }
      return { data, reads: data.length };
    },
  });

  r.on("GET /cluster/nextid", {
    handler: ({ state, params }) => {
      const wanted = int(params, "vmid");
      if (wanted !== undefined) {
        if (state.guests.has(wanted)) throw paramError({ vmid: `VM ${wanted} already exists` });
        return { data: String(wanted) };
      }
      return { data: String(state.nextFreeVmid()) };
    },
  });

  r.on("GET /nodes", {
    handler: (ctx) => {
      const now = ctx.state.now();
      const data = [...ctx.state.nodes.values()].map((n) => ({ ...nodeEntry(ctx, n, now), ssl_fingerprint: fingerprint(n) }));
      return { data, reads: data.length };
    },
  });

  r.on("GET /nodes/{node}/status", {
    perm: { path: "/nodes/{node}", privs: ["Sys.Audit"] },
    handler: ({ state, params }) => {
      const node = state.requireNode(str(params, "node")!);
      const s = nodeStats(state, node, state.now());
      return {
        data: {
          cpu: s.cpu,
          wait: 0.0012,
          idle: 0,
          uptime: s.uptime,
          loadavg: s.loadavg,
          cpuinfo: { cores: node.cpus / 2, cpus: node.cpus, model: node.cpuModel, sockets: 1, mhz: "2900.000", hvm: "1", flags: "fpu vme de pse tsc msr pae" },
          memory: { total: s.maxmem, used: s.mem, free: s.maxmem - s.mem, available: s.maxmem - s.mem },
          swap: { total: 8 * 1024 ** 3, used: 0, free: 8 * 1024 ** 3 },
          rootfs: { total: s.maxdisk, used: s.disk, free: s.maxdisk - s.disk, avail: s.maxdisk - s.disk },
          ksm: { shared: 0 },
          pveversion: `pve-manager/${PVE_VERSION.version}/${PVE_VERSION.repoid}`,
          kversion: `Linux ${KERNEL} #1 SMP PREEMPT_DYNAMIC PMX ${KERNEL.replace("-pve", "")}`,
          "current-kernel": { sysname: "Linux", release: KERNEL, version: `#1 SMP PREEMPT_DYNAMIC PMX ${KERNEL.replace("-pve", "")}`, machine: "x86_64" },
          "boot-info": { mode: "efi", secureboot: 0 },
        },
        reads: 1,
      };
    },
  });

  r.on("GET /nodes/{node}/network", {
    handler: ({ state, params }) => {
      const node = state.requireNode(str(params, "node")!);
      const type = str(params, "type");
      const matches = (t: string) =>
        !type || type === "include_sdn" || type === t || ((type === "any_bridge" || type === "any_local_bridge") && t === "bridge");
      const data = node.network
        .filter((i) => matches(i.type))
        .map((i) => {
          const out: Record<string, unknown> = {
            iface: i.iface,
            type: i.type,
            method: i.method,
            method6: "manual",
            families: ["inet"],
            active: 1,
            autostart: 1,
            priority: node.network.indexOf(i) + 1,
          };
          if (i.address) Object.assign(out, { address: i.address, netmask: i.netmask, cidr: i.cidr });
          if (i.gateway) out.gateway = i.gateway;
          if (i.type === "bridge") Object.assign(out, { bridge_ports: i.bridge_ports, bridge_stp: "off", bridge_fd: "0" });
          if (i.bridge_vlan_aware) Object.assign(out, { bridge_vlan_aware: 1, bridge_vids: "2-4094" });
          if (i.type === "eth") out.exists = 1;
          if (i.comments) out.comments = i.comments;
          return out;
        });
      return { data, reads: data.length };
    },
  });

  r.on("GET /nodes/{node}/storage", {
    handler: (ctx) => {
      const { state, params } = ctx;
      const node = state.requireNode(str(params, "node")!);
      const wanted = str(params, "content");
      const only = str(params, "storage");
      const data = [];
      for (const s of node.storages.values()) {
        if (only !== undefined && s.id !== only) continue;
        if (wanted !== undefined && !splitList(wanted).some((c) => s.content.includes(c))) continue;
        if (!storageAudit(ctx, s.id)) continue;
        data.push({ storage: s.id, type: s.type, content: s.content.join(","), active: 1, enabled: 1, shared: s.shared ? 1 : 0, ...storageSummary(state, s) });
      }
      return { data, reads: data.length };
    },
  });

  r.on("GET /nodes/{node}/storage/{storage}/content", {
    perm: { path: "/storage/{storage}", privs: ["Datastore.Audit", "Datastore.AllocateSpace"], any: true },
    handler: (ctx) => {
      const { state, params } = ctx;
      const storage = state.requireStorage(str(params, "node")!, str(params, "storage")!);
      const content = str(params, "content");
      const vmid = int(params, "vmid");
      const data = [];
      for (const v of [...storage.volumes.values()].sort((a, b) => a.volid.localeCompare(b.volid))) {
        if (content !== undefined && v.content !== content) continue;
        if (vmid !== undefined && v.vmid !== vmid) continue;
        if (!canSeeVolume(ctx, v)) continue;
        const item: Record<string, unknown> = { volid: v.volid, content: v.content, format: v.format, size: v.size, ctime: v.ctime };
        if (v.vmid !== undefined) item.vmid = v.vmid;
        if (v.notes !== undefined) item.notes = v.notes;
        if (v.protected) item.protected = 1;
        if (v.content === "images" || v.content === "rootdir") item.used = Math.floor(v.size * 0.4);
        data.push(item);
      }
      return { data, reads: data.length };
    },
  });

  r.on("GET /nodes/{node}/storage/{storage}/status", {
    perm: { path: "/storage/{storage}", privs: ["Datastore.Audit", "Datastore.AllocateSpace"], any: true },
    handler: ({ state, params }) => {
      const s = state.requireStorage(str(params, "node")!, str(params, "storage")!);
      const { used_fraction: _f, ...sum } = storageSummary(state, s);
      return { data: { type: s.type, content: s.content.join(","), active: 1, enabled: 1, shared: s.shared ? 1 : 0, ...sum }, reads: 1 };
    },
  });

  r.on("GET /pools", {
    handler: (ctx) => {
      const { state, params } = ctx;
      const only = str(params, "poolid");
      const type = str(params, "type");
      if (only !== undefined && !state.pools.has(only)) throw die(`pool '${only}' does not exist`);
      const data = [];
      for (const p of state.pools.values()) {
        if ((only !== undefined && p.poolid !== only) || !ctx.can(`/pool/${p.poolid}`, ["Pool.Audit"])) continue;
        const members: Record<string, unknown>[] = [];
        if (type !== "storage") {
          for (const g of state.guests.values()) {
            if (g.pool !== p.poolid || (type !== undefined && type !== g.type)) continue;
            members.push({ id: `${g.type}/${g.vmid}`, type: g.type, vmid: g.vmid, node: g.node, name: guestName(g), status: g.status });
          }
        }
        if (type === undefined || type === "storage") {
          for (const sid of p.storages) for (const n of state.nodes.values()) members.push({ id: `storage/${n.name}/${sid}`, type: "storage", storage: sid, node: n.name });
        }
        data.push({ poolid: p.poolid, ...(p.comment ? { comment: p.comment } : {}), members });
      }
      return { data, reads: data.length };
    },
  });

  r.on("POST /pools", {
    perm: { path: "/pool/{poolid}", privs: ["Pool.Allocate"] },
    handler: ({ state, params }) => {
      const poolid = str(params, "poolid")!;
      if (state.pools.has(poolid)) throw die(`pool '${poolid}' already exists`);
      state.pools.set(poolid, { poolid, ...(str(params, "comment") ? { comment: str(params, "comment") } : {}), storages: new Set() });
      return { data: null, writes: 1 };
    },
  });

  r.on("GET /cluster/ha/resources", {
    perm: { path: "/", privs: ["Sys.Audit"] },
    handler: ({ state, params }) => {
      const type = str(params, "type");
      const data = [...state.haResources.values()].filter((h) => type === undefined || h.type === type);
      return { data, reads: data.length };
    },
  });

  r.on("POST /cluster/ha/resources", {
    perm: { path: "/", privs: ["Sys.Console"] },
    handler: ({ state, params }) => {
      const m = /^(?:(vm|ct):)?(\d+)$/.exec(str(params, "sid")!);
      if (!m) throw paramError({ sid: "invalid format - unable to parse service id" });
      const guest = state.guests.get(Number(m[2]));
      if (!guest) throw die(`unable to find VM ${m[2]}`);
      const type = m[1] ?? (guest.type === "qemu" ? "vm" : "ct");
      const sid = `${type}:${m[2]}`;
      if (state.haResources.has(sid)) throw die(`resource ID '${sid}' already defined`);
      const entry: Record<string, string | number> = { sid, type, state: str(params, "state") ?? "started" };
      for (const k of ["comment", "group", "max_relocate", "max_restart", "failback"]) if (params[k] !== undefined) entry[k] = params[k] as string | number;
      state.haResources.set(sid, entry);
      return { data: null, writes: 1 };
    },
  });
}

function fingerprint(node: SimNode): string {
  const bytes: string[] = [];
  let x = node.nodeid * 2654435761;
  for (let i = 0; i < 32; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes.push(((x >>> 16) & 0xff).toString(16).toUpperCase().padStart(2, "0"));
  }
  return bytes.join(":");
}
