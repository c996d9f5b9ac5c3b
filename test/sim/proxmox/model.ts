/** The simulated cluster's records. Configs hold values as PVE writes them (integers as numbers, the rest strings). */
export type GuestType = "qemu" | "lxc";
export type ConfigValue = string | number;
export type GuestConfig = Record<string, ConfigValue>;

export interface Snapshot {
  name: string;
  description: string;
  snaptime: number;
  parent?: string;
  vmstate: boolean;
  config: GuestConfig;
}

export interface Guest {
  vmid: number;
  type: GuestType;
  node: string;
  config: GuestConfig;
  status: "running" | "stopped";
  /** When the guest last started (ms, simulated clock); drives uptime and counters. */
  startedAt: number;
  pid: number;
  snapshots: Map<string, Snapshot>;
  /** The snapshot the current state descends from. */
  parent?: string;
  pool?: string;
  /** Per-guest phase so metrics of different guests do not move in lockstep. */
  phase: number;
}

export interface Volume {
  volid: string;
  content: "images" | "rootdir" | "iso" | "vztmpl" | "backup" | "snippets" | "import";
  format: string;
  size: number;
  ctime: number;
  vmid?: number;
  notes?: string;
  protected?: boolean;
  /** For backups: the guest config at backup time (used by restores). */
  backupOf?: { type: GuestType; config: GuestConfig };
}

export interface Storage {
  id: string;
  type: "dir" | "lvmthin";
  content: string[];
  total: number;
  shared: boolean;
  volumes: Map<string, Volume>;
}

export interface NetworkIface {
  iface: string;
  type: "bridge" | "eth";
  method: "static" | "manual";
  address?: string;
  netmask?: string;
  cidr?: string;
  gateway?: string;
  bridge_ports?: string;
  bridge_vlan_aware?: boolean;
  comments?: string;
}

export interface SimNode {
  name: string;
  nodeid: number;
  ip: string;
  cpus: number;
  cpuModel: string;
  memTotal: number;
  rootfsTotal: number;
  bootedAt: number;
  phase: number;
  storages: Map<string, Storage>;
  network: NetworkIface[];
  nextPid: number;
}

export interface Pool {
  poolid: string;
  comment?: string;
  /** Member storages (guests record their pool themselves). */
  storages: Set<string>;
}

/** Cluster-wide job configs are kept as PVE returns them (flat key/value records). */
export type JobConfig = Record<string, string | number>;
