/** LXC containers: list, create/restore, config, status, power actions and destroy. */
import { parseVolid } from "../disks";
import { die } from "../errors";
import { applyLxcChange, prepareLxcChange, prepareLxcDelete } from "../lxc-config";
import type { Guest, GuestConfig } from "../model";
import { parsePropertyString, printPropertyString } from "../property-string";
import type { HandlerContext, PveRouter } from "../router";
import { LXC_NET_FORMAT, LXC_ROOTFS_FORMAT } from "../schema/lxc";
import { destroyGuest, guestVolumes } from "./guest-lifecycle";
import {
  checkDigest,
  checkLock,
  readGuestConfig,
  flag,
  guestOf,
  guestEntry,
  guestWord,
  int,
  markRunning,
  markStopped,
  missingBridge,
  newGuest,
  pick,
  setGuestPool,
  skiplockAllowed,
  str,
} from "./helpers";

const CREATE_ONLY = new Set([
  "node", "vmid", "ostemplate", "bwlimit", "force", "ha-managed", "ignore-unpack-errors", "password", "pool", "restore",
  "ssh-public-keys", "start", "storage", "unique",
]);
const UPDATE_ONLY = new Set(["node", "vmid", "delete", "digest", "revert"]);



const OSTYPES = ["debian", "devuan", "ubuntu", "centos", "fedora", "opensuse", "archlinux", "alpine", "gentoo", "nixos"];

export function lxcRoutes(r: PveRouter): void {
  r.on("GET /nodes/{node}/lxc", {
    handler: ({ state, params, can }) => {
      const now = state.now();
      const data = [];
      for (const g of state.guestsOn(str(params, "node")!)) {
        if (g.type === "lxc" && can(`/vms/${g.vmid}`, ["VM.Audit"])) data.push(guestEntry(g, now));
      }
      return { data, reads: data.length };
    },
  });

  r.on("POST /nodes/{node}/lxc", { handler: (ctx) => createLxc(ctx) });

  r.on("GET /nodes/{node}/lxc/{vmid}/config", {
    perm: { path: "/vms/{vmid}", privs: ["VM.Audit"] },
    handler: (ctx) => readGuestConfig(guestOf(ctx, "lxc"), str(ctx.params, "snapshot")),
  });

  r.on("PUT /nodes/{node}/lxc/{vmid}/config", {
    handler: async (ctx) => {
      const guest = guestOf(ctx, "lxc");
      await checkDigest(guest.config, str(ctx.params, "digest"));
      checkLock(guest);
      const input = pick(ctx.params, UPDATE_ONLY);
      const options = { node: guest.node, vmid: guest.vmid, check: ctx.check, isRoot: ctx.isRoot, existing: guest.config };
      const change = prepareLxcChange(ctx.state, input, options);
      const del = str(ctx.params, "delete");
      if (del !== undefined) prepareLxcDelete(del, input, options, change);
      try {
        applyLxcChange(ctx.state, guest.node, guest.vmid, guest.config, change);
      } catch (err) {
        throw die((err as Error).message);
      }
      return { data: null, writes: 1 };
    },
  });

  r.on("GET /nodes/{node}/lxc/{vmid}/status/current", {
    perm: { path: "/vms/{vmid}", privs: ["VM.Audit"] },
    handler: ({ state, params }) => {
      const guest = state.requireGuest(str(params, "node")!, int(params, "vmid")!, "lxc");
      const ha = state.haResources.get(`ct:${guest.vmid}`);
      return { data: { ...guestEntry(guest, state.now()), ha: ha ? { managed: 1, state: ha.state } : { managed: 0 } }, reads: 1 };
    },
  });

  power(r, "start", "vzstart", (ctx, guest) => {
    if (guest.config.template === 1) throw die("you can't start a CT if it's a template");
    if (guest.status === "running") throw die(`CT ${guest.vmid} already running`);
    return () => {
      const bridge = missingBridge(ctx.state, guest);
      if (bridge) return { error: `bridge '${bridge}' does not exist` };
      markRunning(ctx.state, guest);
      return {};
    };
  });
  const requireRunning = (guest: Guest) => {
    if (guest.status !== "running") throw die(`CT ${guest.vmid} not running`);
  };
  power(r, "stop", "vzstop", (_ctx, guest) => {
    requireRunning(guest);
    return () => void markStopped(guest);
  });
  power(r, "shutdown", "vzshutdown", (_ctx, guest) => {
    requireRunning(guest);
    return () => void markStopped(guest);
  });
  power(r, "reboot", "vzreboot", (ctx, guest) => {
    requireRunning(guest);
    return () => void markRunning(ctx.state, guest);
  });

  r.on("DELETE /nodes/{node}/lxc/{vmid}", {
    perm: { path: "/vms/{vmid}", privs: ["VM.Allocate"] },
    handler: (ctx) => {
      const guest = guestOf(ctx, "lxc");
      if (guest.config.protection === 1) throw die(`can't remove CT ${guest.vmid} - protection mode enabled`);
      checkLock(guest);
      if (guest.status === "running") {
        if (!flag(ctx.params, "force")) throw die(`unable to destroy CT ${guest.vmid} - container is running`);
        markStopped(guest);
      }
      return destroyGuest(ctx, guest, "vzdestroy");
    },
  });
}

type PowerPlan = (ctx: HandlerContext, guest: Guest) => () => { error?: string } | void;

function power(r: PveRouter, action: string, taskType: string, plan: PowerPlan): void {
  r.on(`POST /nodes/{node}/lxc/{vmid}/status/${action}`, {
    perm: { path: "/vms/{vmid}", privs: ["VM.PowerMgmt"] },
    handler: (ctx) => {
      const guest = guestOf(ctx, "lxc");
      checkLock(guest, "skiplock" in ctx.params ? skiplockAllowed(ctx.params, ctx.isRoot) : false);
      const run = plan(ctx, guest);
      const task = ctx.state.tasks.start({ node: guest.node, type: taskType, id: String(guest.vmid), user: ctx.auth.authid, run });
      return { data: task.upid, writes: 1 };
    },
  });
}

function createLxc(ctx: HandlerContext) {
  const { state, params } = ctx;
  const node = str(params, "node")!;
  const vmid = int(params, "vmid")!;
  const ostemplate = str(params, "ostemplate")!;
  const restore = flag(params, "restore");
  const pool = str(params, "pool");
  const existing = state.guests.get(vmid);
  const replacing = existing !== undefined && restore && flag(params, "force") && existing.node === node && existing.type === "lxc";
  if (existing && !replacing) throw die(`${guestWord(existing.type)} ${vmid} already exists on node '${existing.node}'`);
  if (replacing) {
    ctx.check(`/vms/${vmid}`, ["VM.Backup"]);
    if (existing.status === "running") throw die(`unable to restore CT ${vmid} - container is running`);
    checkLock(existing);
  } else if (pool !== undefined) {
    if (!state.pools.has(pool)) throw die(`pool '${pool}' does not exist`);
    ctx.check(`/pool/${pool}`, ["VM.Allocate"]);
  } else ctx.check(`/vms/${vmid}`, ["VM.Allocate"]);
  if (flag(params, "start")) ctx.check(`/vms/${vmid}`, ["VM.PowerMgmt"]);
  const template = parseVolid(ostemplate);
  if (!template) throw die(`unable to parse volume ID '${ostemplate}'`);
  state.requireStorage(node, template.storage);
  ctx.check(`/storage/${template.storage}`, ["Datastore.AllocateSpace", "Datastore.Audit"], true);
  const volume = state.volume(node, ostemplate);
  if (!volume) throw die(`volume '${ostemplate}' does not exist`);
  if (restore ? volume.content !== "backup" : volume.content !== "vztmpl") {
    throw die(`unable to use volume ${ostemplate} - content type needs to be '${restore ? "backup" : "vztmpl"}'`);
  }
  const input = pick(params, CREATE_ONLY);
  const storage = str(params, "storage") ?? "local";
  const source: GuestConfig = restore && volume.backupOf ? volume.backupOf.config : {};
  if (input.rootfs === undefined) {
    const size = restore && typeof source.rootfs === "string" ? parsePropertyString(LXC_ROOTFS_FORMAT, source.rootfs).size ?? "4G" : "4G";
    input.rootfs = `${storage}:${size.replace(/G$/, "")}`;
  }
  if (input.unprivileged === undefined && !restore) input.unprivileged = 1;
  if (input.unprivileged === 0) ctx.check("/", ["Sys.Modify"]);
  const change = prepareLxcChange(state, input, { node, vmid, check: ctx.check, isRoot: ctx.isRoot, defaultStorage: storage });
  const guest = existing ?? newGuest(state, vmid, "lxc", node, {});
  const previous = guest.config;
  guest.config = { lock: "create" };
  if (!existing) state.addGuest(guest);
  const task = state.tasks.start({
    node,
    type: restore ? "vzrestore" : "vzcreate",
    id: String(vmid),
    user: ctx.auth.authid,
    run: () => {
      if (replacing) for (const volid of guestVolumes({ ...guest, config: previous })) state.freeVolume(node, volid);
      const config: GuestConfig = {};
      for (const [k, v] of Object.entries(source)) {
        if (k === "rootfs" || /^(?:mp|unused)\d+$/.test(k) || k === "lock") continue;
        config[k] = /^net\d+$/.test(k) && typeof v === "string" && flag(params, "unique") ? withNewMac(ctx, v) : v;
      }
      try {
        applyLxcChange(state, node, vmid, config, change);
      } catch (err) {
        return { error: `unable to create CT ${vmid} - ${(err as Error).message}` };
      }
      config.arch ??= "amd64";
      config.ostype ??= OSTYPES.find((os) => ostemplate.includes(`/${os}-`)) ?? "unmanaged";
      config.hostname ??= `CT${vmid}`;
      config.memory ??= 512;
      config.swap ??= 512;
      guest.config = config;
      if (pool !== undefined && state.pools.has(pool)) setGuestPool(state, guest, pool);
      if (flag(params, "start") && !missingBridge(state, guest)) markRunning(state, guest);
      return {};
    },
    onFailure: () => {
      if (replacing) guest.config = previous;
      else state.removeGuest(vmid);
    },
  });
  return { data: task.upid, writes: 1 };
}

function withNewMac(ctx: HandlerContext, value: string): string {
  const net = parsePropertyString(LXC_NET_FORMAT, value);
  net.hwaddr = ctx.state.newMac();
  return printPropertyString(net, LXC_NET_FORMAT);
}
