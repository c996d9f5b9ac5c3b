/** Small helpers shared by the route handlers: typed parameter access, locks, digests, list entries. */
import { die, paramError } from "../errors";
import type { Guest, GuestConfig, GuestType } from "../model";
import { guestStats } from "../stats";
import type { SimState } from "../state";
import type { HandlerContext } from "../router";
import type { ParamValues } from "../validate";

export const str = (p: ParamValues, k: string): string | undefined => (p[k] === undefined ? undefined : String(p[k]));
export const int = (p: ParamValues, k: string): number | undefined => (p[k] === undefined ? undefined : Number(p[k]));
export const flag = (p: ParamValues, k: string): boolean => p[k] === 1;

/** The parameters without those in `skip` (create-only or update-only keys). */
export const pick = (params: ParamValues, skip: Set<string>): ParamValues => Object.fromEntries(Object.entries(params).filter(([k]) => !skip.has(k)));

/** The guest named by the path's `{node}` and `{vmid}`, of the given type. */
export const guestOf = (ctx: HandlerContext, type: GuestType): Guest => ctx.state.requireGuest(str(ctx.params, "node")!, int(ctx.params, "vmid")!, type);

export const guestWord = (type: GuestType) => (type === "qemu" ? "VM" : "CT");

/** guest-common `check_lock`: `VM is locked (create)` / `CT is locked (backup)`. */
export function checkLock(guest: Guest, skiplock = false): void {
  const lock = guest.config.lock;
  if (lock !== undefined && !skiplock) throw die(`${guestWord(guest.type)} is locked (${lock})`);
}

/** `skiplock` is reserved to root@pam. */
export function skiplockAllowed(params: ParamValues, isRoot: boolean): boolean {
  if (!flag(params, "skiplock")) return false;
  if (!isRoot) throw paramError({ skiplock: "Only root may use this option." });
  return true;
}

/** The SHA-1 of the config as its file would be written, used for `digest` checks. */
export async function configDigest(config: GuestConfig): Promise<string> {
  const text = Object.keys(config)
    .sort()
    .map((k) => `${k}: ${config[k]}\n`)
    .join("");
  const hash = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function checkDigest(config: GuestConfig, digest: string | undefined): Promise<void> {
  if (digest !== undefined && digest !== (await configDigest(config))) {
    throw die("detected modified configuration - file changed by other user? Try again.");
  }
}

/** The `lock`, `tags` and `template` fields every guest listing carries when set. */
function commonFields(guest: Guest): Record<string, unknown> {
  const c = guest.config;
  const out: Record<string, unknown> = {};
  if (c.lock !== undefined) out.lock = c.lock;
  if (c.tags !== undefined) out.tags = c.tags;
  if (c.template === 1) out.template = 1;
  return out;
}

export function guestName(guest: Guest): string {
  const c = guest.config;
  if (guest.type === "qemu") return typeof c.name === "string" ? c.name : `VM ${guest.vmid}`;
  return typeof c.hostname === "string" ? c.hostname : `CT${guest.vmid}`;
}

/** The moving usage figures both guest lists report (cpus is named maxcpu in cluster resources). */
function usageFields(guest: Guest, now: number) {
  const s = guestStats(guest, now);
  return {
    cpus: s.cpus,
    cpu: s.cpu,
    maxmem: s.maxmem,
    mem: s.mem,
    maxdisk: s.maxdisk,
    disk: s.disk,
    uptime: s.uptime,
    netin: s.netin,
    netout: s.netout,
    diskread: s.diskread,
    diskwrite: s.diskwrite,
  };
}

/** One entry of `GET /nodes/{node}/qemu|lxc` and `…/status/current`. */
export function guestEntry(guest: Guest, now: number): Record<string, unknown> {
  const { cpus, ...stats } = usageFields(guest, now);
  const entry: Record<string, unknown> = {
    vmid: guest.vmid,
    name: guestName(guest),
    status: guest.status,
    cpus,
    ...stats,
    ...commonFields(guest),
  };
  if (guest.type === "lxc") {
    entry.type = "lxc";
    entry.maxswap = Number(guest.config.swap ?? 512) * 1024 * 1024;
    entry.swap = 0;
  }
  if (guest.status === "running") entry.pid = guest.pid;
  return entry;
}

/** One guest row of `GET /cluster/resources`. */
export function resourceEntry(guest: Guest, now: number, hastate?: string): Record<string, unknown> {
  const { cpus, ...stats } = usageFields(guest, now);
  const entry: Record<string, unknown> = {
    id: `${guest.type}/${guest.vmid}`,
    type: guest.type,
    vmid: guest.vmid,
    name: guestName(guest),
    node: guest.node,
    status: guest.status,
    maxcpu: cpus,
    ...stats,
    template: guest.config.template === 1 ? 1 : 0,
    ...commonFields(guest),
  };
  if (guest.pool) entry.pool = guest.pool;
  if (hastate) entry.hastate = hastate;
  return entry;
}

/** Copies a config for output (PVE sends the file's keys plus `digest`). */
export async function configWithDigest(config: GuestConfig): Promise<Record<string, unknown>> {
  return { ...config, digest: await configDigest(config) };
}

/** Puts a guest into a pool (a guest belongs to at most one). */
/** `GET …/{qemu|lxc}/{vmid}/config`, optionally of a snapshot (`snapshot=`): the config plus its digest. */
export async function readGuestConfig(guest: Guest, snapname: string | undefined): Promise<{ data: Record<string, unknown>; reads: number }> {
  if (snapname === undefined) return { data: await configWithDigest(guest.config), reads: 1 };
  const snap = guest.snapshots.get(snapname);
  if (!snap) throw die(`snapshot '${snapname}' does not exist`);
  return { data: await configWithDigest(snap.config), reads: 1 };
}

export function setGuestPool(state: SimState, guest: Guest, pool: string | undefined): void {
  if (pool !== undefined && !state.pools.has(pool)) throw die(`pool '${pool}' does not exist`);
  guest.pool = pool;
}

export function newGuest(state: SimState, vmid: number, type: GuestType, node: string, config: GuestConfig): Guest {
  return { vmid, type, node, config, status: "stopped", startedAt: 0, pid: 0, snapshots: new Map(), phase: state.rng.next() * 2 * Math.PI };
}

/** Marks a guest running (a new process, uptime from now). */
export function markRunning(state: SimState, guest: Guest): void {
  const node = state.nodes.get(guest.node)!;
  guest.status = "running";
  guest.startedAt = state.now();
  guest.pid = node.nextPid += state.rng.int(1, 40);
}

export function markStopped(guest: Guest): void {
  guest.status = "stopped";
  guest.pid = 0;
}

/** Bridges a guest's NICs use that do not exist on its node (a start fails on them). */
export function missingBridge(state: SimState, guest: Guest): string | undefined {
  const node = state.nodes.get(guest.node)!;
  const bridges = new Set(node.network.filter((i) => i.type === "bridge").map((i) => i.iface));
  for (const [k, v] of Object.entries(guest.config)) {
    if (!/^net\d+$/.test(k) || typeof v !== "string") continue;
    const bridge = /(?:^|,)bridge=([^,]+)/.exec(v)?.[1];
    if (bridge && !bridges.has(bridge)) return bridge;
  }
  return undefined;
}
