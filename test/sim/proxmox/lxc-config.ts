/**
 * What pve-container does with submitted config keys: `rootfs`/`mp[n]` new-volume syntax `STORAGE:SIZE`, NIC
 * canonicalisation (generated `hwaddr`, `type=veth`), per-option privilege checks and `delete=`.
 */
import { NEW_DISK_RE, addUnused, forgetRootDiskSize, formatSize, gibToBytes, parseSize, rootDiskSize } from "./disks";
import { die, paramError } from "./errors";
import { splitList } from "./formats";
import type { GuestConfig } from "./model";
import { parsePropertyString, printPropertyString } from "./property-string";
import { checkBridgeAccess, type PrepareOptions } from "./qemu-config";
import { LXC_CONFIG_KEYS, LXC_MP_FORMAT, LXC_NET_FORMAT, LXC_ROOTFS_FORMAT } from "./schema/lxc";
import type { PropertyStringFormat } from "./schema/types";
import type { SimState } from "./state";
import { declarationOf, type ParamValues } from "./validate";

const isMountKey = (key: string) => key === "rootfs" || /^mp\d+$/.test(key);
const mountFormat = (key: string): PropertyStringFormat => (key === "rootfs" ? LXC_ROOTFS_FORMAT : LXC_MP_FORMAT);

function checkOptionPerm(key: string, options: PrepareOptions): void {
  const vm = `/vms/${options.vmid}`;
  if (key === "cores" || key === "cpulimit" || key === "cpuunits") options.check(vm, ["VM.Config.CPU"]);
  else if (key === "memory" || key === "swap") options.check(vm, ["VM.Config.Memory"]);
  else if (key === "hostname" || key === "nameserver" || key === "searchdomain") options.check(vm, ["VM.Config.Network"]);
  else if (/^unused\d+$/.test(key)) options.check(vm, ["VM.Config.Disk"]);
  else if ((/^dev\d+$/.test(key) || key === "hookscript" || key === "lock") && !options.isRoot) throw die(`only root can set '${key}' config`);
  else options.check(vm, ["VM.Config.Options"]);
}

export interface PendingMount {
  key: string;
  storage: string;
  bytes: number;
  mount: Record<string, string>;
}

export interface LxcChange {
  set: GuestConfig;
  newMounts: PendingMount[];
  remove: string[];
}

export function prepareLxcChange(state: SimState, input: ParamValues, options: PrepareOptions): LxcChange {
  const change: LxcChange = { set: {}, newMounts: [], remove: [] };
  const vm = `/vms/${options.vmid}`;
  for (const [key, value] of Object.entries(input).sort(([a], [b]) => a.localeCompare(b))) {
    if (Array.isArray(value)) continue;
    if (isMountKey(key)) {
      options.check(vm, ["VM.Config.Disk"]);
      const fmt = mountFormat(key);
      const mount = parsePropertyString(fmt, String(value));
      const m = NEW_DISK_RE.exec(mount.volume!);
      if (m) {
        const storageId = m[2] ?? options.defaultStorage ?? "local";
        options.check(`/storage/${storageId}`, ["Datastore.AllocateSpace"]);
        state.requireStorage(options.node, storageId);
        change.newMounts.push({ key, storage: storageId, bytes: gibToBytes(Number(m[3])), mount });
      } else {
        if (!options.isRoot && mount.volume!.startsWith("/")) throw die("Only root can pass arbitrary filesystem paths.");
        change.set[key] = printPropertyString(mount, fmt);
      }
    } else if (/^net\d+$/.test(key)) {
      options.check(vm, ["VM.Config.Network"]);
      const net = parsePropertyString(LXC_NET_FORMAT, String(value));
      net.hwaddr ??= state.newMac();
      net.type ??= "veth";
      checkBridgeAccess(options.check, net.bridge, net.tag);
      change.set[key] = printPropertyString(net, LXC_NET_FORMAT);
    } else {
      checkOptionPerm(key, options);
      change.set[key] = value;
    }
  }
  return change;
}

export function prepareLxcDelete(list: string, input: ParamValues, options: PrepareOptions, change: LxcChange): void {
  for (const key of splitList(list)) {
    if (!declarationOf(LXC_CONFIG_KEYS, key)) throw paramError({ delete: `unknown option '${key}'` });
    if (input[key] !== undefined) throw paramError({ delete: `you can't use '-${key}' and -delete ${key}' at the same time` });
    if (key === "rootfs") throw paramError({ delete: "unable to delete required option 'rootfs'" });
    if (isMountKey(key)) options.check(`/vms/${options.vmid}`, ["VM.Config.Disk"]);
    else if (/^net\d+$/.test(key)) options.check(`/vms/${options.vmid}`, ["VM.Config.Network"]);
    else checkOptionPerm(key, options);
    change.remove.push(key);
  }
}

/** Allocates new volumes and writes the change; removed mount points become `unused[n]`. */
export function applyLxcChange(state: SimState, node: string, vmid: number, config: GuestConfig, change: LxcChange): void {
  const allocated: string[] = [];
  try {
    for (const m of change.newMounts) {
      const volume = state.allocateDisk(node, m.storage, vmid, m.bytes, "rootdir");
      allocated.push(volume.volid);
      config[m.key] = printPropertyString({ ...m.mount, volume: volume.volid, size: formatSize(m.bytes) }, mountFormat(m.key));
    }
  } catch (err) {
    for (const volid of allocated) state.freeVolume(node, volid);
    throw err;
  }
  for (const key of change.remove) {
    const current = config[key];
    delete config[key];
    if (typeof current !== "string") continue;
    if (/^mp\d+$/.test(key)) addUnused(config, parsePropertyString(LXC_MP_FORMAT, current).volume!);
    else if (/^unused\d+$/.test(key)) state.freeVolume(node, current.split(",")[0]!);
  }
  Object.assign(config, change.set);
  forgetRootDiskSize(config);
}

export function lxcMaxDisk(config: GuestConfig): number {
  return rootDiskSize(config, ({ rootfs }) => {
    const text = typeof rootfs === "string" ? parsePropertyString(LXC_ROOTFS_FORMAT, rootfs).size : undefined;
    return text ? parseSize(text) : 0;
  });
}
