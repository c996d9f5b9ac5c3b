/**
 * Builders and parsers for the property strings Outpost sends and reads: QEMU `netN`, `ipconfigN` and disks,
 * LXC `netN` and `rootfs`/`mpN`. Formatting follows what PVE itself writes (default key first, then sorted keys),
 * booleans are `1`/`0`, and new volumes use the `STORAGE:SIZE_GiB` syntax the API expects.
 */
export type NicModel =
  | "e1000"
  | "e1000-82540em"
  | "e1000-82544gc"
  | "e1000-82545em"
  | "e1000e"
  | "i82551"
  | "i82557b"
  | "i82559er"
  | "ne2k_isa"
  | "ne2k_pci"
  | "pcnet"
  | "rtl8139"
  | "virtio"
  | "vmxnet3";

const NIC_MODELS: ReadonlySet<string> = new Set<NicModel>([
  "e1000", "e1000-82540em", "e1000-82544gc", "e1000-82545em", "e1000e", "i82551", "i82557b", "i82559er", "ne2k_isa",
  "ne2k_pci", "pcnet", "rtl8139", "virtio", "vmxnet3",
]);

type Scalar = string | number | boolean | undefined;

/** Splits `a=1,b=2,plain` into keys; a part without `=` is stored under `defaultKey`. */
export function parsePropertyString(text: string, defaultKey?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq < 0) {
      if (!defaultKey) throw new Error(`property string part without a key: ${part}`);
      out[defaultKey] = part;
    } else {
      out[part.slice(0, eq)] = part.slice(eq + 1);
    }
  }
  return out;
}

const scalar = (v: Exclude<Scalar, undefined>) => (typeof v === "boolean" ? (v ? "1" : "0") : String(v));

/** Joins `first` (already formatted, may be empty) with the remaining keys in sorted order. */
function join(first: string | undefined, rest: Record<string, Scalar>): string {
  const parts = first ? [first] : [];
  for (const key of Object.keys(rest).sort()) {
    const v = rest[key];
    if (v !== undefined) parts.push(`${key}=${scalar(v)}`);
  }
  return parts.join(",");
}

const flag = (v: string | undefined) => (v === undefined ? undefined : v === "1" || v === "true" || v === "yes" || v === "on");
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

// --- QEMU NIC ---

export interface QemuNet {
  model: NicModel;
  macaddr?: string;
  bridge?: string;
  /** VLAN tag, 1–4094. */
  tag?: number;
  firewall?: boolean;
  link_down?: boolean;
  mtu?: number;
  queues?: number;
  /** Rate limit in MB/s. */
  rate?: number;
  /** VLAN IDs or ranges, e.g. `[10, "20-30"]`. */
  trunks?: Array<number | string>;
}

/** `virtio=BC:24:11:…,bridge=vmbr0,tag=10`; without a MAC, PVE generates one. */
export function formatQemuNet(net: QemuNet): string {
  if (net.tag !== undefined && !(Number.isInteger(net.tag) && net.tag >= 1 && net.tag <= 4094)) throw new RangeError(`VLAN tag ${net.tag} is outside 1-4094`);
  const { model, macaddr, trunks, ...rest } = net;
  return join(macaddr ? `${model}=${macaddr}` : model, { ...rest, trunks: trunks?.join(";") });
}

export function parseQemuNet(text: string): QemuNet {
  const raw = parsePropertyString(text, "model");
  let model = raw.model;
  let macaddr = raw.macaddr;
  for (const [k, v] of Object.entries(raw)) {
    if (NIC_MODELS.has(k)) {
      model = k;
      macaddr = v;
    }
  }
  if (!model || !NIC_MODELS.has(model)) throw new Error(`no NIC model in "${text}"`);
  const net: QemuNet = { model: model as NicModel };
  if (macaddr) net.macaddr = macaddr;
  if (raw.bridge) net.bridge = raw.bridge;
  if (raw.tag !== undefined) net.tag = Number(raw.tag);
  if (raw.firewall !== undefined) net.firewall = flag(raw.firewall);
  if (raw.link_down !== undefined) net.link_down = flag(raw.link_down);
  if (raw.mtu !== undefined) net.mtu = num(raw.mtu);
  if (raw.queues !== undefined) net.queues = num(raw.queues);
  if (raw.rate !== undefined) net.rate = num(raw.rate);
  if (raw.trunks !== undefined) net.trunks = raw.trunks.split(";").map((t) => (/^\d+$/.test(t) ? Number(t) : t));
  return net;
}

// --- cloud-init ipconfig ---

export interface IpConfig {
  /** `dhcp` or an IPv4 CIDR. */
  ip?: "dhcp" | string;
  gw?: string;
  /** `dhcp`, `auto` (SLAAC) or an IPv6 CIDR; PVE has no `dhcp6`. */
  ip6?: "dhcp" | "auto" | string;
  gw6?: string;
}

export function formatIpConfig(cfg: IpConfig): string {
  if (cfg.ip6 === "dhcp6") throw new RangeError("ip6=dhcp6 does not exist in PVE; use dhcp or auto");
  if (cfg.gw && (!cfg.ip || cfg.ip === "dhcp")) throw new RangeError("an IPv4 gateway needs a static IPv4 address");
  if (cfg.gw6 && (!cfg.ip6 || cfg.ip6 === "dhcp" || cfg.ip6 === "auto")) throw new RangeError("an IPv6 gateway needs a static IPv6 address");
  return join(undefined, { ...cfg });
}

export function parseIpConfig(text: string): IpConfig {
  const raw = parsePropertyString(text);
  const out: IpConfig = {};
  for (const k of ["ip", "gw", "ip6", "gw6"] as const) if (raw[k] !== undefined) out[k] = raw[k];
  return out;
}

// --- QEMU drives ---

export interface QemuDisk {
  /** A volume ID (`local-lvm:vm-100-disk-0`), `STORAGE:SIZE` for a new disk, `none`, or `STORAGE:cloudinit`. */
  file: string;
  media?: "disk" | "cdrom";
  size?: string;
  /** Further drive options (`iothread`, `discard`, `cache`, `ssd`, …). */
  options?: Record<string, Scalar>;
}

export function formatQemuDisk(disk: QemuDisk): string {
  return join(disk.file, { ...disk.options, media: disk.media, size: disk.size });
}

export function parseQemuDisk(text: string): QemuDisk {
  const { file, media, size, volume, ...options } = parsePropertyString(text, "file");
  const disk: QemuDisk = { file: file ?? volume ?? "" };
  if (media === "cdrom" || media === "disk") disk.media = media;
  if (size !== undefined) disk.size = size;
  if (Object.keys(options).length > 0) disk.options = options;
  return disk;
}

/** A new disk of `sizeGiB` on `storage` (PVE stores it as `storage:vm-<id>-disk-<n>,size=<n>G`). */
export function newQemuDisk(storage: string, sizeGiB: number, options?: Record<string, Scalar>): string {
  return formatQemuDisk({ file: `${storage}:${sizeGiB}`, ...(options ? { options } : {}) });
}

/** An ISO attached as CD-ROM; `media=cdrom` is mandatory for ISO volumes. */
export function cdromDrive(isoVolid: string): string {
  return formatQemuDisk({ file: isoVolid, media: "cdrom" });
}

/** A cloud-init drive on `storage` (put it on a bus other than the ISO's). */
export function cloudInitDrive(storage: string): string {
  return `${storage}:cloudinit`;
}

/** Size in bytes of a PVE size string (`32G`, `512M`). */
export function sizeToBytes(size: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(size);
  if (!m) throw new Error(`not a PVE size: ${size}`);
  const unit = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[m[2] as "" | "K" | "M" | "G" | "T"];
  return Math.round(Number(m[1]) * unit);
}

// --- LXC ---

export interface LxcNet {
  name: string;
  bridge?: string;
  hwaddr?: string;
  /** `dhcp`, `manual` or an IPv4 CIDR. */
  ip?: string;
  gw?: string;
  /** `dhcp`, `auto`, `manual` or an IPv6 CIDR. */
  ip6?: string;
  gw6?: string;
  tag?: number;
  firewall?: boolean;
  link_down?: boolean;
  mtu?: number;
  rate?: number;
  trunks?: number[];
  type?: "veth";
}

export function formatLxcNet(net: LxcNet): string {
  if (net.ip6 === "dhcp6") throw new RangeError("ip6=dhcp6 does not exist in PVE; use dhcp or auto");
  if (net.tag !== undefined && !(Number.isInteger(net.tag) && net.tag >= 1 && net.tag <= 4094)) throw new RangeError(`VLAN tag ${net.tag} is outside 1-4094`);
  const { name, trunks, ...rest } = net;
  return join(`name=${name}`, { ...rest, trunks: trunks?.join(";") });
}

export function parseLxcNet(text: string): LxcNet {
  const raw = parsePropertyString(text);
  if (!raw.name) throw new Error(`LXC network without a name: ${text}`);
  const net: LxcNet = { name: raw.name };
  for (const k of ["bridge", "hwaddr", "ip", "gw", "ip6", "gw6"] as const) if (raw[k] !== undefined) net[k] = raw[k];
  if (raw.tag !== undefined) net.tag = Number(raw.tag);
  if (raw.firewall !== undefined) net.firewall = flag(raw.firewall);
  if (raw.link_down !== undefined) net.link_down = flag(raw.link_down);
  if (raw.mtu !== undefined) net.mtu = Number(raw.mtu);
  if (raw.rate !== undefined) net.rate = Number(raw.rate);
  if (raw.trunks !== undefined) net.trunks = raw.trunks.split(";").map(Number);
  if (raw.type === "veth") net.type = "veth";
  return net;
}

export interface LxcMount {
  /** A volume ID, or `STORAGE:SIZE_GiB` for a new volume. */
  volume: string;
  /** Mount path inside the container (mount points only, not `rootfs`). */
  mp?: string;
  size?: string;
  options?: Record<string, Scalar>;
}

export function formatLxcMount(mount: LxcMount): string {
  return join(mount.volume, { ...mount.options, mp: mount.mp, size: mount.size });
}

export function parseLxcMount(text: string): LxcMount {
  const { volume, mp, size, ...options } = parsePropertyString(text, "volume");
  const mount: LxcMount = { volume: volume ?? "" };
  if (mp !== undefined) mount.mp = mp;
  if (size !== undefined) mount.size = size;
  if (Object.keys(options).length > 0) mount.options = options;
  return mount;
}

/** A new container volume of `sizeGiB` on `storage` (`rootfs` or a mount point with `mp`). */
export function newLxcVolume(storage: string, sizeGiB: number, mp?: string): string {
  return formatLxcMount({ volume: `${storage}:${sizeGiB}`, ...(mp ? { mp } : {}) });
}
