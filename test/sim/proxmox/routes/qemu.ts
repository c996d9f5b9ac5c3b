/** QEMU guests: list, create/restore, config (GET/POST/PUT), status, power actions, destroy and clone. */
import { formatSize } from "../disks";
import { die } from "../errors";
import type { Guest, GuestConfig } from "../model";
import { parsePropertyString, printPropertyString } from "../property-string";
import {
  applyQemuChange,
  defaultBootOrder,
  diskVolumes,
  formatOf,
  isCdrom,
  isDriveKey,
  parseDrive,
  prepareQemuChange,
  prepareQemuDelete,
  type QemuChange,
} from "../qemu-config";
import type { HandlerContext, PveRouter } from "../router";
import { QEMU_NET_FORMAT } from "../schema/qemu";
import type { SimState } from "../state";
import {
  checkDigest,
  checkLock,
  readGuestConfig,
  flag,
  guestOf,
  guestEntry,
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
import { destroyGuest } from "./guest-lifecycle";

const CREATE_ONLY = new Set(["node", "vmid", "archive", "bwlimit", "force", "ha-managed", "import-working-storage", "live-restore", "pool", "start", "storage", "unique"]);
const UPDATE_ONLY = new Set(["node", "vmid", "delete", "digest", "force", "revert", "skiplock", "background_delay", "import-working-storage"]);



export function qemuRoutes(r: PveRouter): void {
  r.on("GET /nodes/{node}/qemu", {
    handler: ({ state, params, can }) => {
      const now = state.now();
      const data = [];
      for (const g of state.guestsOn(str(params, "node")!)) {
        if (g.type !== "qemu" || !can(`/vms/${g.vmid}`, ["VM.Audit"])) continue;
        const entry = guestEntry(g, now);
        if (flag(params, "full") && g.status === "running") entry.qmpstatus = "running";
        data.push(entry);
      }
      return { data, reads: data.length };
    },
  });

  r.on("POST /nodes/{node}/qemu", { handler: (ctx) => (str(ctx.params, "archive") ? restoreQemu(ctx) : createQemu(ctx)) });

  r.on("GET /nodes/{node}/qemu/{vmid}/config", {
    perm: { path: "/vms/{vmid}", privs: ["VM.Audit"] },
    handler: (ctx) => readGuestConfig(guestOf(ctx, "qemu"), str(ctx.params, "snapshot")),
  });

  r.on("PUT /nodes/{node}/qemu/{vmid}/config", {
    handler: async (ctx) => {
      const { guest, change } = await prepareUpdate(ctx);
      applyQemuChange(ctx.state, guest.node, guest.vmid, guest.config, change, flag(ctx.params, "force"));
      return { data: null, writes: 1 };
    },
  });

  r.on("POST /nodes/{node}/qemu/{vmid}/config", {
    handler: async (ctx) => {
      const { guest, change } = await prepareUpdate(ctx);
      const force = flag(ctx.params, "force");
      const task = ctx.state.tasks.start({
        node: guest.node,
        type: "qmconfig",
        id: String(guest.vmid),
        user: ctx.auth.authid,
        run: () => {
          try {
            applyQemuChange(ctx.state, guest.node, guest.vmid, guest.config, change, force);
          } catch (err) {
            return { error: (err as Error).message };
          }
          return {};
        },
      });
      return { data: task.upid, writes: 1 };
    },
  });

  r.on("GET /nodes/{node}/qemu/{vmid}/status/current", {
    perm: { path: "/vms/{vmid}", privs: ["VM.Audit"] },
    handler: ({ state, params }) => {
      const guest = state.requireGuest(str(params, "node")!, int(params, "vmid")!, "qemu");
      const ha = state.haResources.get(`vm:${guest.vmid}`);
      const data: Record<string, unknown> = {
        ...guestEntry(guest, state.now()),
        qmpstatus: guest.status,
        ha: ha ? { managed: 1, state: ha.state } : { managed: 0 },
      };
      if (typeof guest.config.agent === "string" && /^(?:enabled=)?1/.test(guest.config.agent)) data.agent = 1;
      if (guest.status === "running") {
        data["running-machine"] = "pc-i440fx-9.2+pve1";
        data["running-qemu"] = "9.2.0";
      }
      return { data, reads: 1 };
    },
  });

  powerRoute(r, "start", "qmstart", (ctx, guest) => {
    if (guest.config.template === 1) throw die("you can't start a vm if it's a template");
    return () => {
      if (guest.status === "running") return { error: `VM ${guest.vmid} already running` };
      const bridge = missingBridge(ctx.state, guest);
      if (bridge) return { error: `bridge '${bridge}' does not exist` };
      markRunning(ctx.state, guest);
      return {};
    };
  });
  powerRoute(r, "stop", "qmstop", (_ctx, guest) => () => void markStopped(guest));
  powerRoute(r, "shutdown", "qmshutdown", (_ctx, guest) => () => void markStopped(guest));
  powerRoute(r, "reboot", "qmreboot", (ctx, guest) => {
    if (guest.status !== "running") throw die(`VM ${guest.vmid} not running`);
    return () => void markRunning(ctx.state, guest);
  });
  powerRoute(r, "reset", "qmreset", (_ctx, guest) => {
    if (guest.status !== "running") throw die(`VM ${guest.vmid} not running`);
    return () => undefined;
  });

  r.on("DELETE /nodes/{node}/qemu/{vmid}", {
    perm: { path: "/vms/{vmid}", privs: ["VM.Allocate"] },
    handler: (ctx) => {
      const guest = guestOf(ctx, "qemu");
      if (guest.config.protection === 1) throw die(`can't remove VM ${guest.vmid} - protection mode enabled`);
      checkLock(guest, skiplockAllowed(ctx.params, ctx.isRoot));
      if (guest.status === "running") throw die(`VM ${guest.vmid} is running - destroy failed`);
      return destroyGuest(ctx, guest, "qmdestroy");
    },
  });

  r.on("POST /nodes/{node}/qemu/{vmid}/clone", {
    perm: { path: "/vms/{vmid}", privs: ["VM.Clone"] },
    handler: (ctx) => cloneQemu(ctx),
  });
}

type PowerPlan = (ctx: HandlerContext, guest: Guest) => () => { error?: string } | void;

function powerRoute(r: PveRouter, action: string, taskType: string, plan: PowerPlan): void {
  r.on(`POST /nodes/{node}/qemu/{vmid}/status/${action}`, {
    perm: { path: "/vms/{vmid}", privs: ["VM.PowerMgmt"] },
    handler: (ctx) => {
      const guest = guestOf(ctx, "qemu");
      const skip = "skiplock" in ctx.params ? skiplockAllowed(ctx.params, ctx.isRoot) : false;
      checkLock(guest, skip);
      const run = plan(ctx, guest);
      const task = ctx.state.tasks.start({ node: guest.node, type: taskType, id: String(guest.vmid), user: ctx.auth.authid, run });
      return { data: task.upid, writes: 1 };
    },
  });
}

async function prepareUpdate(ctx: HandlerContext): Promise<{ guest: Guest; change: QemuChange }> {
  const guest = guestOf(ctx, "qemu");
  const { params, state } = ctx;
  const skip = skiplockAllowed(params, ctx.isRoot);
  await checkDigest(guest.config, str(params, "digest"));
  checkLock(guest, skip);
  const input = pick(params, UPDATE_ONLY);
  const options = { node: guest.node, vmid: guest.vmid, check: ctx.check, isRoot: ctx.isRoot, existing: guest.config };
  const change = prepareQemuChange(state, input, options);
  const del = str(params, "delete");
  if (del !== undefined) prepareQemuDelete(del, input, options, change);
  return { guest, change };
}

function checkCreatePerms(ctx: HandlerContext, vmid: number, pool: string | undefined): void {
  if (pool !== undefined) {
    if (!ctx.state.pools.has(pool)) throw die(`pool '${pool}' does not exist`);
    ctx.check(`/pool/${pool}`, ["VM.Allocate"]);
  } else ctx.check(`/vms/${vmid}`, ["VM.Allocate"]);
  if (flag(ctx.params, "start")) ctx.check(`/vms/${vmid}`, ["VM.PowerMgmt"]);
  if (flag(ctx.params, "ha-managed")) ctx.check("/", ["Sys.Console"]);
}

/** The keys qemu-server adds to every new config. */
function addCreateDefaults(state: SimState, config: GuestConfig): void {
  if (config.boot === undefined) {
    const boot = defaultBootOrder(config);
    if (boot) config.boot = boot;
  }
  config.smbios1 ??= `uuid=${state.rng.uuid()}`;
  if (config.vmgenid === undefined || config.vmgenid === "1") config.vmgenid = state.rng.uuid();
  config.meta = `creation-qemu=9.2.0,ctime=${state.clock.nowSeconds()}`;
}

function createQemu(ctx: HandlerContext) {
  const { state, params } = ctx;
  const node = str(params, "node")!;
  const vmid = int(params, "vmid")!;
  const pool = str(params, "pool");
  checkCreatePerms(ctx, vmid, pool);
  const existing = state.guests.get(vmid);
  if (existing) throw die(`unable to create VM ${vmid} - VM ${vmid} already exists on node '${existing.node}'`);
  const change = prepareQemuChange(state, pick(params, CREATE_ONLY), {
    node,
    vmid,
    check: ctx.check,
    isRoot: ctx.isRoot,
    defaultStorage: str(params, "storage"),
  });
  const guest = newGuest(state, vmid, "qemu", node, { lock: "create" });
  state.addGuest(guest);
  const task = state.tasks.start({
    node,
    type: "qmcreate",
    id: String(vmid),
    user: ctx.auth.authid,
    run: () => {
      const config: GuestConfig = {};
      try {
        applyQemuChange(state, node, vmid, config, change);
      } catch (err) {
        return { error: `unable to create VM ${vmid} - ${(err as Error).message}` };
      }
      addCreateDefaults(state, config);
      guest.config = config;
      finishCreate(ctx, guest, pool);
      return {};
    },
    onFailure: () => state.removeGuest(vmid),
  });
  return { data: task.upid, writes: 1 };
}

function finishCreate(ctx: HandlerContext, guest: Guest, pool: string | undefined): void {
  const { state, params } = ctx;
  if (pool !== undefined && state.pools.has(pool)) setGuestPool(state, guest, pool);
  if (flag(params, "ha-managed")) state.haResources.set(`${guest.type === "qemu" ? "vm" : "ct"}:${guest.vmid}`, { sid: `${guest.type === "qemu" ? "vm" : "ct"}:${guest.vmid}`, type: guest.type === "qemu" ? "vm" : "ct", state: "started" });
  if (flag(params, "start") && !missingBridge(state, guest)) markRunning(state, guest);
}

/** Restore from a vzdump archive (`archive=<backup volid>`); an existing VM is replaced only with `force`. */
function restoreQemu(ctx: HandlerContext) {
  const { state, params } = ctx;
  const node = str(params, "node")!;
  const vmid = int(params, "vmid")!;
  const archive = str(params, "archive")!;
  const existing = state.guests.get(vmid);
  if (existing) {
    ctx.check(`/vms/${vmid}`, ["VM.Backup"]);
    if (!flag(params, "force")) throw die(`unable to restore VM ${vmid} - VM ${vmid} already exists on node '${existing.node}'`);
    if (existing.node !== node) throw die(`unable to restore VM ${vmid} - VM ${vmid} already exists on node '${existing.node}'`);
    if (existing.status === "running") throw die(`unable to restore VM ${vmid} - VM is running`);
    checkLock(existing);
  } else checkCreatePerms(ctx, vmid, str(params, "pool"));
  const volume = state.volume(node, archive);
  if (!volume?.backupOf || volume.backupOf.type !== "qemu") throw die(`unable to restore VM ${vmid} - can't find archive file '${archive}'`);
  const source = volume.backupOf.config;
  const targetStorage = str(params, "storage");
  const guest = existing ?? newGuest(state, vmid, "qemu", node, {});
  const previous = guest.config;
  guest.config = { lock: "create" };
  if (!existing) state.addGuest(guest);
  const task = state.tasks.start({
    node,
    type: "qmrestore",
    id: String(vmid),
    user: ctx.auth.authid,
    run: () => {
      const config: GuestConfig = {};
      try {
        if (existing) for (const volid of diskVolumes(previous)) state.freeVolume(node, volid);
        for (const [k, v] of Object.entries(source)) {
          if (isDriveKey(k) && typeof v === "string") config[k] = restoreDrive(state, node, vmid, k, v, targetStorage);
          else if (/^net\d+$/.test(k) && typeof v === "string" && flag(params, "unique")) {
            const net = parsePropertyString(QEMU_NET_FORMAT, v);
            net.macaddr = state.newMac();
            config[k] = printPropertyString(net, QEMU_NET_FORMAT);
          } else if (!/^unused\d+$/.test(k) && k !== "lock") config[k] = v;
        }
      } catch (err) {
        for (const volid of diskVolumes(config)) state.freeVolume(node, volid);
        return { error: `unable to restore VM ${vmid} - ${(err as Error).message}` };
      }
      guest.config = config;
      return {};
    },
    onFailure: () => {
      if (existing) guest.config = previous;
      else state.removeGuest(vmid);
    },
  });
  return { data: task.upid, writes: 1 };
}

function restoreDrive(state: SimState, node: string, vmid: number, key: string, value: string, targetStorage: string | undefined): string {
  const drive = parseDrive(key, value);
  const file = drive.file!;
  if (isCdrom(drive) || file === "none") return value;
  const storage = targetStorage ?? file.slice(0, file.indexOf(":"));
  const size = state.volume(node, file)?.size ?? 0;
  const bytes = size > 0 ? size : 32 * 1024 ** 3;
  const volume = state.allocateDisk(node, storage, vmid, bytes, "images");
  return printPropertyString({ ...drive, file: volume.volid, size: formatSize(bytes) }, formatOf(key));
}

/** `POST …/clone`: full copy of a VM, or a linked clone of a template (the default for templates). */
function cloneQemu(ctx: HandlerContext) {
  const { state, params } = ctx;
  const source = guestOf(ctx, "qemu");
  const newid = int(params, "newid")!;
  const target = str(params, "target") ?? source.node;
  const pool = str(params, "pool");
  if (pool !== undefined) ctx.check(`/pool/${pool}`, ["VM.Allocate"]);
  else ctx.check(`/vms/${newid}`, ["VM.Allocate"]);
  state.requireNode(target);
  const existing = state.guests.get(newid);
  if (existing) throw die(`unable to create VM ${newid} - VM ${newid} already exists on node '${existing.node}'`);
  const isTemplate = source.config.template === 1;
  const full = "full" in params ? flag(params, "full") : !isTemplate;
  if (!isTemplate && !full) throw die("Linked clone feature is not supported for drive 'scsi0'");
  if (target !== source.node) throw die(`can't clone VM to node '${target}' (VM uses local storage)`);
  const snapname = str(params, "snapname");
  const base = snapname !== undefined ? source.snapshots.get(snapname)?.config : source.config;
  if (!base) throw die(`snapshot '${snapname}' does not exist`);
  checkLock(source);
  const storage = str(params, "storage");
  source.config.lock = "clone";
  const clone = newGuest(state, newid, "qemu", target, { lock: "clone" });
  state.addGuest(clone);
  const release = () => {
    if (source.config.lock === "clone") delete source.config.lock;
  };
  const task = state.tasks.start({
    node: source.node,
    type: "qmclone",
    id: String(source.vmid),
    user: ctx.auth.authid,
    run: () => {
      release();
      const config: GuestConfig = {};
      try {
        for (const [k, v] of Object.entries(base)) {
          if (k === "template" || k === "lock" || /^unused\d+$/.test(k)) continue;
          if (isDriveKey(k) && typeof v === "string") config[k] = restoreDrive(state, target, newid, k, v, storage);
          else if (/^net\d+$/.test(k) && typeof v === "string") {
            const net = parsePropertyString(QEMU_NET_FORMAT, v);
            net.macaddr = state.newMac();
            config[k] = printPropertyString(net, QEMU_NET_FORMAT);
          } else config[k] = v;
        }
      } catch (err) {
        for (const volid of diskVolumes(config)) state.freeVolume(target, volid);
        return { error: `clone failed: ${(err as Error).message}` };
      }
      config.name = str(params, "name") ?? `Copy-of-VM-${typeof source.config.name === "string" ? source.config.name : source.vmid}`;
      const description = str(params, "description");
      if (description !== undefined) config.description = description;
      config.smbios1 = `uuid=${state.rng.uuid()}`;
      config.vmgenid = state.rng.uuid();
      clone.config = config;
      if (pool !== undefined && state.pools.has(pool)) setGuestPool(state, clone, pool);
      return {};
    },
    onFailure: () => {
      release();
      state.removeGuest(newid);
    },
  });
  return { data: task.upid, writes: 1 };
}
