/** Volume syntax shared by QEMU drives and LXC mount points: new-volume requests, sizes, volume IDs. */
import type { GuestConfig } from "./model";
import { GiB } from "./state";

/** qemu-server's and pve-container's `NEW_DISK_RE`: `[STORAGE:]SIZE_IN_GiB`. */
export const NEW_DISK_RE = /^(([^/:\s]+):)?(\d+(\.\d+)?)$/;

/** A permission requirement a handler checks (throws 403 unless met). */
export type PermCheck = (path: string, privs: readonly string[], any?: boolean) => void;

const UNITS: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(text);
  if (!m) return 0;
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}

/** PVE's `format_size`: the largest unit that divides the size exactly. */
export function formatSize(bytes: number): string {
  for (const unit of ["T", "G", "M", "K"] as const) {
    const div = UNITS[unit]!;
    if (bytes >= div && bytes % div === 0) return `${bytes / div}${unit}`;
  }
  return String(bytes);
}

export function gibToBytes(gib: number): number {
  return Math.round(gib * GiB);
}

/** Splits `storage:volname`; the volume type follows PVE's dir/lvm naming. */
export function parseVolid(volid: string): { storage: string; volname: string; vtype: string; owner?: number } | undefined {
  const m = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$/i.exec(volid);
  if (!m) return undefined;
  const volname = m[2]!;
  const typed = /^(iso|vztmpl|backup|snippets|import)\//.exec(volname);
  if (typed) {
    const owner = /vzdump-(?:qemu|lxc)-(\d+)-/.exec(volname);
    return { storage: m[1]!, volname, vtype: typed[1]!, ...(owner ? { owner: Number(owner[1]) } : {}) };
  }
  const disk = /^(?:base|vm|subvol)-(\d+)-/.exec(volname);
  return { storage: m[1]!, volname, vtype: "images", ...(disk ? { owner: Number(disk[1]) } : {}) };
}

/** Keeps a detached volume in the config as the first free `unusedN`, as PVE does. */
export function addUnused(config: GuestConfig, volid: string): void {
  let n = 0;
  while (config[`unused${n}`] !== undefined) n++;
  config[`unused${n}`] = volid;
}

/** Root disk sizes by config object; list views read them for every guest, so each is parsed once per change. */
const rootDiskSizes = new WeakMap<GuestConfig, number>();

export function rootDiskSize(config: GuestConfig, compute: (config: GuestConfig) => number): number {
  let size = rootDiskSizes.get(config);
  if (size === undefined) {
    size = compute(config);
    rootDiskSizes.set(config, size);
  }
  return size;
}

export function forgetRootDiskSize(config: GuestConfig): void {
  rootDiskSizes.delete(config);
}
