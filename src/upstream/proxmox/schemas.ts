/**
 * Response shapes of the PVE endpoints Outpost uses. Perl's JSON is loose (numbers as strings, booleans as 0/1),
 * so every field is coerced, and objects keep fields the schema does not name (real responses carry more).
 */
import { z } from "zod";

const num = z.coerce.number();
const int = z.coerce.number().int();
/** PVE booleans arrive as 0/1, "0"/"1" or true/false. */
export const pveBool = z.union([z.boolean(), z.number(), z.string()]).transform((v) => v === true || v === 1 || v === "1");
const str = z.coerce.string();

export const VersionSchema = z.looseObject({ version: str, release: str, repoid: str, console: str.optional() });

export const ClusterStatusEntrySchema = z.looseObject({
  type: z.enum(["cluster", "node"]),
  id: str,
  name: str,
  nodes: int.optional(),
  quorate: pveBool.optional(),
  version: int.optional(),
  ip: str.optional(),
  local: pveBool.optional(),
  nodeid: int.optional(),
  online: pveBool.optional(),
});

export const ClusterResourceSchema = z.looseObject({
  id: str,
  type: str,
  node: str.optional(),
  status: str.optional(),
  name: str.optional(),
  vmid: int.optional(),
  cpu: num.optional(),
  maxcpu: num.optional(),
  mem: num.optional(),
  maxmem: num.optional(),
  disk: num.optional(),
  maxdisk: num.optional(),
  uptime: num.optional(),
  template: pveBool.optional(),
  tags: str.optional(),
  lock: str.optional(),
  pool: str.optional(),
  hastate: str.optional(),
  storage: str.optional(),
  content: str.optional(),
  plugintype: str.optional(),
  shared: pveBool.optional(),
  netin: num.optional(),
  netout: num.optional(),
  diskread: num.optional(),
  diskwrite: num.optional(),
});

export const NodeListEntrySchema = z.looseObject({
  node: str,
  status: z.enum(["unknown", "online", "offline"]),
  cpu: num.optional(),
  maxcpu: num.optional(),
  mem: num.optional(),
  maxmem: num.optional(),
  disk: num.optional(),
  maxdisk: num.optional(),
  uptime: num.optional(),
  level: str.optional(),
  ssl_fingerprint: str.optional(),
});

const MemoryInfo = z.looseObject({ total: num, used: num, free: num, available: num.optional() });
export const NodeStatusSchema = z.looseObject({
  cpu: num,
  uptime: num.optional(),
  loadavg: z.array(num),
  cpuinfo: z.looseObject({ cores: int, cpus: int, model: str, sockets: int }),
  memory: MemoryInfo,
  rootfs: z.looseObject({ total: num, used: num, free: num, avail: num }),
  pveversion: str,
  "current-kernel": z.looseObject({ sysname: str, release: str, version: str, machine: str }).optional(),
  "boot-info": z.looseObject({ mode: str, secureboot: pveBool.optional() }).optional(),
});

const GuestCommon = {
  vmid: int,
  status: z.enum(["running", "stopped"]),
  name: str.optional(),
  cpus: num.optional(),
  cpu: num.optional(),
  maxmem: num.optional(),
  mem: num.optional(),
  maxdisk: num.optional(),
  disk: num.optional(),
  uptime: num.optional(),
  netin: num.optional(),
  netout: num.optional(),
  diskread: num.optional(),
  diskwrite: num.optional(),
  lock: str.optional(),
  tags: str.optional(),
  template: pveBool.optional(),
  pid: int.optional(),
};

export const QemuListEntrySchema = z.looseObject({ ...GuestCommon, qmpstatus: str.optional() });
export const LxcListEntrySchema = z.looseObject({ ...GuestCommon, maxswap: num.optional(), swap: num.optional() });
export const GuestStatusSchema = z.looseObject({
  ...GuestCommon,
  qmpstatus: str.optional(),
  agent: pveBool.optional(),
  ha: z.looseObject({ managed: pveBool, state: str.optional() }).optional(),
});

/**
 * A guest config: every key as PVE returns it, with the common scalar ones coerced. `memory` is a property
 * string in PVE 9 (`"2048"` or `"current=2048"`), so it is normalised to MiB here.
 */
export const GuestConfigSchema = z
  .looseObject({
    digest: str.optional(),
    name: str.optional(),
    hostname: str.optional(),
    memory: z.union([z.number(), z.string()]).transform((v) => Number(/(\d+)/.exec(String(v))?.[1] ?? Number.NaN)).optional(),
    swap: int.optional(),
    cores: int.optional(),
    sockets: int.optional(),
    onboot: pveBool.optional(),
    template: pveBool.optional(),
    protection: pveBool.optional(),
    unprivileged: pveBool.optional(),
    tags: str.optional(),
    lock: str.optional(),
    description: str.optional(),
  })
  .catchall(z.union([z.string(), z.number()]));

export const SnapshotSchema = z.looseObject({
  name: str,
  description: str.optional(),
  parent: str.optional(),
  snaptime: int.optional(),
  vmstate: pveBool.optional(),
  running: pveBool.optional(),
});

export const StorageEntrySchema = z.looseObject({
  storage: str,
  type: str,
  content: str,
  active: pveBool.optional(),
  enabled: pveBool.optional(),
  shared: pveBool.optional(),
  total: num.optional(),
  used: num.optional(),
  avail: num.optional(),
  used_fraction: num.optional(),
});

export const StorageContentSchema = z.looseObject({
  volid: str,
  content: str.optional(),
  format: str,
  size: num,
  ctime: int.optional(),
  vmid: int.optional(),
  notes: str.optional(),
  protected: pveBool.optional(),
  used: num.optional(),
});

export const StorageStatusSchema = z.looseObject({
  type: str,
  content: str,
  total: num,
  used: num,
  avail: num,
  active: pveBool.optional(),
  enabled: pveBool.optional(),
  shared: pveBool.optional(),
});

export const NetworkInterfaceSchema = z.looseObject({
  iface: str,
  type: str,
  active: pveBool.optional(),
  autostart: pveBool.optional(),
  method: str.optional(),
  address: str.optional(),
  netmask: str.optional(),
  cidr: str.optional(),
  gateway: str.optional(),
  bridge_ports: str.optional(),
  bridge_vlan_aware: pveBool.optional(),
  bridge_vids: str.optional(),
  comments: str.optional(),
});

const TaskFields = {
  upid: str,
  node: str,
  pid: int,
  pstart: int,
  starttime: int,
  type: str,
  id: str,
  user: str,
  tokenid: str.optional(),
};

export const TaskListEntrySchema = z.looseObject({ ...TaskFields, status: str.optional(), endtime: int.optional() });

export const TaskStatusSchema = z.looseObject({ ...TaskFields, status: z.enum(["running", "stopped"]), exitstatus: str.optional() });

export const TaskLogLineSchema = z.looseObject({ n: int, t: str });

/** Backup and replication jobs and HA resources are flat key/value records. */
export const JobSchema = z.looseObject({ id: str }).catchall(z.union([z.string(), z.number()]));
export const BackupJobSchema = JobSchema.extend({
  enabled: pveBool.optional(),
  schedule: str.optional(),
  storage: str.optional(),
  "next-run": int.optional(),
});
export const ReplicationJobSchema = JobSchema.extend({ guest: int, jobnum: int, target: str, type: str, schedule: str.optional(), disable: pveBool.optional() });
export const HaResourceSchema = z.looseObject({ sid: str, type: str.optional(), state: str.optional() });

export const PoolSchema = z.looseObject({
  poolid: str,
  comment: str.optional(),
  members: z.array(z.looseObject({ id: str, type: str, node: str.optional(), vmid: int.optional(), storage: str.optional() })).optional(),
});

export const UserSchema = z.looseObject({
  userid: str,
  enable: pveBool.optional(),
  expire: int.optional(),
  comment: str.optional(),
  email: str.optional(),
  firstname: str.optional(),
  lastname: str.optional(),
  groups: z.union([str, z.array(str)]).optional(),
  tokens: z.array(z.looseObject({ tokenid: str, privsep: pveBool.optional(), expire: int.optional(), comment: str.optional() })).optional(),
});

export const TokenInfoSchema = z.looseObject({ privsep: pveBool.optional(), expire: int.optional(), comment: str.optional() });
export const TokenListEntrySchema = TokenInfoSchema.extend({ tokenid: str });
export const TokenCreatedSchema = z.looseObject({ "full-tokenid": str, info: TokenInfoSchema, value: str });

export const AclEntrySchema = z.looseObject({ path: str, roleid: str, type: z.enum(["user", "group", "token"]), ugid: str, propagate: pveBool.optional() });
export const RoleSchema = z.looseObject({
  roleid: str,
  privs: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").filter((p) => p !== "") : [])),
  special: pveBool.optional(),
});
export const PermissionsSchema = z.record(z.string(), z.record(z.string(), pveBool));

export const TicketSchema = z.looseObject({ username: str, ticket: str, CSRFPreventionToken: str, clustername: str.optional() });

export type PveVersion = z.infer<typeof VersionSchema>;
export type ClusterStatusEntry = z.infer<typeof ClusterStatusEntrySchema>;
export type ClusterResource = z.infer<typeof ClusterResourceSchema>;
export type NodeListEntry = z.infer<typeof NodeListEntrySchema>;
export type NodeStatus = z.infer<typeof NodeStatusSchema>;
export type QemuListEntry = z.infer<typeof QemuListEntrySchema>;
export type LxcListEntry = z.infer<typeof LxcListEntrySchema>;
export type GuestStatus = z.infer<typeof GuestStatusSchema>;
export type GuestConfig = z.infer<typeof GuestConfigSchema>;
export type Snapshot = z.infer<typeof SnapshotSchema>;
export type StorageEntry = z.infer<typeof StorageEntrySchema>;
export type StorageContent = z.infer<typeof StorageContentSchema>;
export type StorageStatus = z.infer<typeof StorageStatusSchema>;
export type NetworkInterface = z.infer<typeof NetworkInterfaceSchema>;
export type TaskListEntry = z.infer<typeof TaskListEntrySchema>;
export type TaskStatus = z.infer<typeof TaskStatusSchema>;
export type TaskLogLine = z.infer<typeof TaskLogLineSchema>;
export type BackupJob = z.infer<typeof BackupJobSchema>;
export type ReplicationJob = z.infer<typeof ReplicationJobSchema>;
export type HaResource = z.infer<typeof HaResourceSchema>;
export type Pool = z.infer<typeof PoolSchema>;
export type PveUser = z.infer<typeof UserSchema>;
export type TokenInfo = z.infer<typeof TokenInfoSchema>;
export type TokenListEntry = z.infer<typeof TokenListEntrySchema>;
export type TokenCreated = z.infer<typeof TokenCreatedSchema>;
export type AclEntry = z.infer<typeof AclEntrySchema>;
export type Role = z.infer<typeof RoleSchema>;
export type Permissions = z.infer<typeof PermissionsSchema>;
