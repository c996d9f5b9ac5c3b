/**
 * What qemu-server does with submitted config keys before it writes them: the `cdrom` alias, drive checks
 * (new-disk syntax `STORAGE:SIZE`, ISO needs `media=cdrom`, cloud-init drives), NIC canonicalisation with
 * generated `BC:24:11` MACs, per-option privilege checks, and `delete=` handling. Disks are allocated only when the
 * change is applied (inside the task for create and `POST …/config`).
 */
import { NEW_DISK_RE, addUnused, forgetRootDiskSize, formatSize, gibToBytes, parseSize, parseVolid, rootDiskSize, type PermCheck } from "./disks";
import { die, paramError } from "./errors";
import { splitList } from "./formats";
import type { GuestConfig } from "./model";
import { parsePropertyString, printPropertyString } from "./property-string";
import { QEMU_CONFIG_KEYS, QEMU_NET_FORMAT } from "./schema/qemu";
import type { PropertyStringFormat } from "./schema/types";
import type { SimState } from "./state";
import { declarationOf, type ParamValues } from "./validate";

const DRIVE_KEY_RE = /^(?:ide[0-3]|sata[0-5]|scsi(?:[0-9]|[12][0-9]|30)|virtio(?:[0-9]|1[0-5])|efidisk0|tpmstate0)$/;

export const isDriveKey = (key: string) => DRIVE_KEY_RE.test(key);

export function formatOf(key: string): PropertyStringFormat {
  return declarationOf(QEMU_CONFIG_KEYS, key)!.format as PropertyStringFormat;
}

export function parseDrive(key: string, value: string): Record<string, string> {
  return parsePropertyString(formatOf(key), value);
}

export function isCdrom(drive: Record<string, string>): boolean {
  return drive.media === "cdrom";
}

const CPU_OPTS = new Set(["cores", "cpu", "cpulimit", "cpuunits", "numa", "smp", "sockets", "vcpus", "affinity"]);
const MEMORY_OPTS = new Set(["memory", "balloon", "shares", "allow-ksm", "hugepages", "keephugepages"]);
const HWTYPE_OPTS = new Set(["acpi", "hotplug", "kvm", "machine", "scsihw", "smbios1", "tablet", "vga", "watchdog", "audio0", "rng0", "arch", "spice_enhancements", "vmgenid"]);
const GENERAL_OPTS = new Set([
  "agent", "autostart", "bios", "description", "keyboard", "localtime", "migrate_downtime", "migrate_speed", "name", "onboot",
  "ostype", "protection", "reboot", "startdate", "startup", "tdf", "template", "tags", "boot", "bootdisk",
]);
const CLOUDINIT_OPTS = new Set(["cicustom", "cipassword", "citype", "ciuser", "ciupgrade", "nameserver", "searchdomain", "sshkeys"]);

/** `check_vm_modify_config_perm`: the privilege each option needs (drives and NICs are checked with their values). */
function checkOptionPerm(key: string, options: PrepareOptions): void {
  const { vmid, check } = options;
  const vm = `/vms/${vmid}`;
  if (CPU_OPTS.has(key) || /^numa\d+$/.test(key)) check(vm, ["VM.Config.CPU"]);
  else if (MEMORY_OPTS.has(key)) check(vm, ["VM.Config.Memory"]);
  else if (HWTYPE_OPTS.has(key) || /^(?:usb|serial)\d+$/.test(key)) check(vm, ["VM.Config.HWType"]);
  else if (GENERAL_OPTS.has(key)) {
    check(vm, ["VM.Config.Options"]);
    if (key === "startup") check("/", ["Sys.Modify"]);
  } else if (key === "freeze") check(vm, ["VM.PowerMgmt"]);
  else if (key === "vmstatestorage" || /^unused\d+$/.test(key)) check(vm, ["VM.Config.Disk"]);
  else if (CLOUDINIT_OPTS.has(key) || /^ipconfig\d+$/.test(key)) check(vm, ["VM.Config.Cloudinit", "VM.Config.Network"], true);
  else if (!options.isRoot) throw die(`only root can set '${key}' config`);
}

/** SDN.Use on the bridge (and VLAN) a NIC attaches to, as `check_bridge_access` requires. */
export function checkBridgeAccess(check: PermCheck, bridge: string | undefined, tag: string | undefined): void {
  if (!bridge) return;
  check(tag ? `/sdn/zones/localnetwork/${bridge}/${tag}` : `/sdn/zones/localnetwork/${bridge}`, ["SDN.Use"]);
}

export interface PendingDisk {
  key: string;
  storage: string;
  bytes: number;
  drive: Record<string, string>;
  cloudinit: boolean;
}

export interface QemuChange {
  set: GuestConfig;
  newDisks: PendingDisk[];
  remove: string[];
  /** Volumes of deleted drives that go to `unused[n]` (or are freed when `force` is set). */
  detach: string[];
}

export interface PrepareOptions {
  node: string;
  vmid: number;
  check: PermCheck;
  isRoot: boolean;
  defaultStorage?: string;
  existing?: GuestConfig;
}

/** Turns validated config parameters into the change qemu-server would make; throws PVE's sync errors. */
export function prepareQemuChange(state: SimState, input: ParamValues, options: PrepareOptions): QemuChange {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(input)) if (!Array.isArray(v)) params[k] = v;
  if (typeof params.cdrom === "string") {
    const value = params.cdrom;
    params.ide2 = /media=/.test(value) ? value : `${value},media=cdrom`;
    delete params.cdrom;
  }
  const change: QemuChange = { set: {}, newDisks: [], remove: [], detach: [] };
  const vmPath = `/vms/${options.vmid}`;
  for (const [key, value] of Object.entries(params).sort(([a], [b]) => a.localeCompare(b))) {
    if (isDriveKey(key)) prepareDrive(state, key, String(value), options, change);
    else if (/^net\d+$/.test(key)) {
      options.check(vmPath, ["VM.Config.Network"]);
      const net = parsePropertyString(QEMU_NET_FORMAT, String(value));
      net.macaddr ??= state.newMac();
      checkBridgeAccess(options.check, net.bridge, net.tag);
      change.set[key] = printPropertyString(net, QEMU_NET_FORMAT);
    } else {
      checkOptionPerm(key, options);
      change.set[key] = value;
    }
  }
  return change;
}

function prepareDrive(state: SimState, key: string, value: string, options: PrepareOptions, change: QemuChange): void {
  const fmt = formatOf(key);
  const drive = parsePropertyString(fmt, value);
  const file = drive.file!;
  const vmPath = `/vms/${options.vmid}`;
  const cdrom = isCdrom(drive);
  const newDisk = NEW_DISK_RE.exec(file);
  const parsed = parseVolid(file);
  if (file === "none" || (cdrom && file === "cdrom")) {
    options.check(vmPath, [cdrom ? "VM.Config.CDROM" : "VM.Config.Disk"]);
    if (file === "cdrom") options.check("/", ["Sys.Console"]);
    change.set[key] = printPropertyString(drive, fmt);
    return;
  }
  if (parsed?.volname === "cloudinit") {
    const storage = state.requireStorage(options.node, parsed.storage);
    options.check(`/storage/${storage.id}`, ["Datastore.AllocateSpace"]);
    options.check(vmPath, ["VM.Config.Cloudinit", "VM.Config.Disk"], true);
    if (!storage.content.includes("images")) throw paramError({ storage: `storage '${storage.id}' does not support vm images` });
    change.newDisks.push({ key, storage: storage.id, bytes: 4 * 1024 * 1024, drive: { ...drive, media: "cdrom" }, cloudinit: true });
    return;
  }
  if (!cdrom && newDisk) {
    const storageId = newDisk[2] ?? options.defaultStorage;
    if (!storageId) throw die("no storage ID specified (and no default storage)");
    options.check(`/storage/${storageId}`, ["Datastore.AllocateSpace"]);
    options.check(vmPath, ["VM.Config.Disk"]);
    const storage = state.requireStorage(options.node, storageId);
    if (!storage.content.includes("images")) throw paramError({ storage: `storage '${storageId}' does not support vm images` });
    const gib = Number(newDisk[3]);
    const bytes = key === "efidisk0" || key === "tpmstate0" ? 4 * 1024 * 1024 : gibToBytes(gib);
    change.newDisks.push({ key, storage: storageId, bytes, drive, cloudinit: false });
    return;
  }
  if (file.startsWith("/")) throw die("only root can pass arbitrary filesystem paths");
  if (!parsed) throw paramError({ [key]: "unable to parse drive options" });
  state.requireStorage(options.node, parsed.storage);
  if (parsed.vtype === "iso") {
    options.check(`/storage/${parsed.storage}`, ["Datastore.AllocateSpace", "Datastore.Audit"], true);
    if (!cdrom) throw paramError({ [key]: "explicit 'media=cdrom' is required for iso images" });
    options.check(vmPath, ["VM.Config.CDROM"]);
  } else if (parsed.vtype === "images") {
    if (parsed.owner !== options.vmid) options.check(`/storage/${parsed.storage}`, ["Datastore.Allocate"]);
    options.check(vmPath, [cdrom ? "VM.Config.CDROM" : "VM.Config.Disk"]);
    const volume = state.volume(options.node, file);
    if (volume && drive.size === undefined && !cdrom) drive.size = formatSize(volume.size);
  } else {
    throw paramError({ [key]: "content type needs to be 'images' or 'iso'" });
  }
  change.set[key] = printPropertyString(drive, fmt);
}

/** `delete=` of an update: known keys only, not also being set, drives detach to `unused[n]`. */
export function prepareQemuDelete(list: string, input: ParamValues, options: PrepareOptions, change: QemuChange): void {
  const existing = options.existing ?? {};
  for (const key of splitList(list)) {
    if (!declarationOf(QEMU_CONFIG_KEYS, key) || key === "cdrom") throw paramError({ delete: `unknown option '${key}'` });
    if (input[key] !== undefined) throw paramError({ delete: `you can't use '-${key}' and -delete ${key}' at the same time` });
    if (isDriveKey(key)) {
      const current = existing[key];
      const drive = typeof current === "string" ? parseDrive(key, current) : undefined;
      options.check(`/vms/${options.vmid}`, [drive && isCdrom(drive) ? "VM.Config.CDROM" : "VM.Config.Disk"]);
      if (drive && !isCdrom(drive) && drive.file && drive.file !== "none") change.detach.push(drive.file);
      else if (drive && /-cloudinit$/.test(drive.file ?? "")) change.detach.push(drive.file!);
    } else if (/^net\d+$/.test(key)) options.check(`/vms/${options.vmid}`, ["VM.Config.Network"]);
    else checkOptionPerm(key, options);
    change.remove.push(key);
  }
}

/**
 * Writes a prepared change into `config`: allocates new disks (throws on allocation errors), records detached
 * volumes as `unused[n]` (or frees them with `force`, and always for deleted `unused[n]` and cloud-init drives).
 */
export function applyQemuChange(state: SimState, node: string, vmid: number, config: GuestConfig, change: QemuChange, force = false): void {
  const allocated: string[] = [];
  try {
    for (const d of change.newDisks) {
      const name = d.cloudinit ? `vm-${vmid}-cloudinit` : undefined;
      const volume = state.allocateDisk(node, d.storage, vmid, d.bytes, "images", name);
      allocated.push(volume.volid);
      const drive: Record<string, string> = { ...d.drive, file: volume.volid };
      if (!d.cloudinit) drive.size = formatSize(d.bytes);
      config[d.key] = printPropertyString(drive, formatOf(d.key));
    }
  } catch (err) {
    for (const volid of allocated) state.freeVolume(node, volid);
    throw err;
  }
  for (const key of change.remove) {
    const current = config[key];
    delete config[key];
    if (/^unused\d+$/.test(key) && typeof current === "string") state.freeVolume(node, parsePropertyString(formatOf(key), current).file!);
  }
  for (const volid of change.detach) {
    if (force || /-cloudinit$/.test(volid)) state.freeVolume(node, volid);
    else addUnused(config, volid);
  }
  Object.assign(config, change.set);
  forgetRootDiskSize(config);
}

/** Root disk size for list views: the first non-CD-ROM drive in boot order, else the first one found. */
export function qemuMaxDisk(config: GuestConfig): number {
  return rootDiskSize(config, computeMaxDisk);
}

function computeMaxDisk(config: GuestConfig): number {
  const order = typeof config.boot === "string" ? /order=([^,]+)/.exec(config.boot)?.[1]?.split(";") ?? [] : [];
  const keys = [...order, ...Object.keys(config).filter(isDriveKey).sort()];
  for (const key of keys) {
    const value = config[key];
    if (!isDriveKey(key) || typeof value !== "string") continue;
    const drive = parseDrive(key, value);
    if (!isCdrom(drive) && drive.size) return parseSize(drive.size);
  }
  return 0;
}

/** Default boot order qemu-server writes on create: first disk, first CD-ROM, first NIC. */
export function defaultBootOrder(config: GuestConfig): string | undefined {
  const drives = Object.keys(config).filter((k) => isDriveKey(k) && k !== "efidisk0" && k !== "tpmstate0").sort(driveOrder);
  const parsed = drives.map((k) => ({ k, cd: isCdrom(parseDrive(k, String(config[k]))) }));
  const devices = [parsed.find((d) => !d.cd)?.k, parsed.find((d) => d.cd)?.k, Object.keys(config).filter((k) => /^net\d+$/.test(k)).sort(driveOrder)[0]];
  const list = devices.filter((d): d is string => d !== undefined);
  return list.length > 0 ? `order=${list.join(";")}` : undefined;
}

const BUS_ORDER = ["ide", "sata", "scsi", "virtio", "net"];
function driveOrder(a: string, b: string): number {
  const pa = /^([a-z]+)(\d+)$/.exec(a)!;
  const pb = /^([a-z]+)(\d+)$/.exec(b)!;
  return BUS_ORDER.indexOf(pa[1]!) - BUS_ORDER.indexOf(pb[1]!) || Number(pa[2]) - Number(pb[2]);
}

export function memoryMiB(config: GuestConfig): number {
  const m = config.memory;
  if (m === undefined) return 512;
  const text = String(m);
  const current = /(?:^|,)(?:current=)?(\d+)/.exec(text);
  return current ? Number(current[1]) : 512;
}

/** Volume IDs of a config's disks (not CD-ROMs), including unused ones. */
export function diskVolumes(config: GuestConfig): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(config)) {
    if (typeof v !== "string") continue;
    if (/^unused\d+$/.test(k)) out.push(v);
    else if (isDriveKey(k)) {
      const drive = parseDrive(k, v);
      if (drive.file && drive.file !== "none" && (!isCdrom(drive) || /-cloudinit$/.test(drive.file))) out.push(drive.file);
    }
  }
  return out;
}
