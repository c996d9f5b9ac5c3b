/** Cluster-wide and node-level read endpoints, backup and replication jobs, HA resources and pools. */
import { NODE, STORAGE_ID, VMID, bool, fmt, int, num, oneOf, opt, pat, str, strArray } from "./builders";
import type { EndpointDecl, PropertyDecl } from "./types";

/** Options of `vzdump` shared by the ad-hoc call and the scheduled jobs. */
const VZDUMP_OPTIONS: Record<string, PropertyDecl> = {
  all: opt(bool()),
  bwlimit: opt(int(0)),
  compress: opt(oneOf(["0", "1", "gzip", "lzo", "zstd"])),
  dumpdir: opt(str()),
  exclude: opt(fmt("pve-vmid-list")),
  "exclude-path": opt(strArray()),
  fleecing: opt(fmt("backup-fleecing")),
  ionice: opt(int(0, 8)),
  lockwait: opt(int(0)),
  mailnotification: opt(oneOf(["always", "failure"])),
  mailto: opt(fmt("email-or-username-list")),
  maxfiles: opt(int(1)),
  mode: opt(oneOf(["snapshot", "suspend", "stop"])),
  node: opt(NODE),
  "notes-template": opt(str({ maxLength: 1024, requires: "storage" })),
  "notification-mode": opt(oneOf(["auto", "legacy-sendmail", "notification-system"])),
  "pbs-change-detection-mode": opt(oneOf(["legacy", "data", "metadata"])),
  performance: opt(fmt("backup-performance")),
  pigz: opt(int()),
  pool: opt(str()),
  protected: opt(bool({ requires: "storage" })),
  "prune-backups": opt(fmt("prune-backups")),
  quiet: opt(bool()),
  remove: opt(bool()),
  script: opt(str()),
  stdexcludes: opt(bool()),
  stop: opt(bool()),
  stopwait: opt(int(0)),
  storage: opt(STORAGE_ID),
  tmpdir: opt(str()),
  vmid: opt(fmt("pve-vmid-list")),
  zstd: opt(int()),
};

const BACKUP_JOB_OPTIONS: Record<string, PropertyDecl> = {
  ...VZDUMP_OPTIONS,
  comment: opt(str({ maxLength: 512 })),
  dow: opt(fmt("pve-day-of-week-list", { requires: "starttime" })),
  enabled: opt(bool()),
  "repeat-missed": opt(bool()),
  schedule: opt(fmt("pve-calendar-event", { maxLength: 128 })),
  starttime: opt(pat("\\d{1,2}:\\d{1,2}")),
};

const BACKUP_JOB_ID = pat("\\S+", { maxLength: 50 });
const REPLICATION_ID = fmt("pve-replication-job-id", { pattern: "[1-9][0-9]{2,8}-\\d{1,9}" });

const REPLICATION_OPTIONS: Record<string, PropertyDecl> = {
  comment: opt(str({ maxLength: 4096 })),
  disable: opt(bool()),
  rate: opt(num(1)),
  remove_job: opt(oneOf(["local", "full"])),
  schedule: opt(fmt("pve-calendar-event", { maxLength: 128 })),
  source: opt(NODE),
};

const HA_SID = fmt("pve-ha-resource-or-vm-id");

export const CLUSTER_ENDPOINTS: EndpointDecl[] = [
  { method: "GET", path: "/version", params: {} },
  { method: "GET", path: "/cluster/status", params: {} },
  { method: "GET", path: "/cluster/resources", params: { type: opt(oneOf(["vm", "storage", "node", "sdn"])) } },
  { method: "GET", path: "/cluster/nextid", params: { vmid: opt(VMID) } },
  { method: "GET", path: "/nodes", params: {} },
  { method: "GET", path: "/nodes/{node}/status", params: { node: NODE } },
  {
    method: "GET",
    path: "/nodes/{node}/network",
    params: {
      node: NODE,
      type: opt(
        oneOf([
          "bridge", "bond", "eth", "alias", "vlan", "fabric", "OVSBridge", "OVSBond", "OVSPort", "OVSIntPort", "vnet",
          "any_bridge", "any_local_bridge", "include_sdn",
        ]),
      ),
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage",
    params: {
      node: NODE,
      content: opt(fmt("pve-storage-content-list")),
      enabled: opt(bool()),
      format: opt(bool()),
      storage: opt(STORAGE_ID),
      target: opt(NODE),
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/content",
    params: { node: NODE, storage: STORAGE_ID, content: opt(fmt("pve-storage-content")), vmid: opt(VMID) },
  },
  { method: "GET", path: "/nodes/{node}/storage/{storage}/status", params: { node: NODE, storage: STORAGE_ID } },
  {
    method: "POST",
    path: "/nodes/{node}/vzdump",
    params: { ...VZDUMP_OPTIONS, "job-id": opt(pat("\\S+", { maxLength: 50 })), stdout: opt(bool()) },
  },
  { method: "GET", path: "/cluster/backup", params: {} },
  { method: "POST", path: "/cluster/backup", params: { ...BACKUP_JOB_OPTIONS, id: opt(fmt("pve-configid")) } },
  { method: "GET", path: "/cluster/backup/{id}", params: { id: BACKUP_JOB_ID } },
  {
    method: "PUT",
    path: "/cluster/backup/{id}",
    params: { ...BACKUP_JOB_OPTIONS, id: BACKUP_JOB_ID, delete: opt(fmt("pve-configid-list")) },
  },
  { method: "DELETE", path: "/cluster/backup/{id}", params: { id: BACKUP_JOB_ID } },
  { method: "GET", path: "/cluster/replication", params: {} },
  {
    method: "POST",
    path: "/cluster/replication",
    params: { ...REPLICATION_OPTIONS, id: REPLICATION_ID, target: NODE, type: oneOf(["local"]) },
  },
  { method: "GET", path: "/cluster/replication/{id}", params: { id: REPLICATION_ID } },
  {
    method: "PUT",
    path: "/cluster/replication/{id}",
    params: {
      ...REPLICATION_OPTIONS,
      id: REPLICATION_ID,
      delete: opt(fmt("pve-configid-list", { maxLength: 4096 })),
      digest: opt(str({ maxLength: 64 })),
    },
  },
  { method: "DELETE", path: "/cluster/replication/{id}", params: { id: REPLICATION_ID, force: opt(bool()), keep: opt(bool()) } },
  { method: "GET", path: "/cluster/ha/resources", params: { type: opt(oneOf(["ct", "vm"])) } },
  {
    method: "POST",
    path: "/cluster/ha/resources",
    params: {
      sid: HA_SID,
      comment: opt(str({ maxLength: 4096 })),
      failback: opt(bool()),
      group: opt(fmt("pve-configid")),
      max_relocate: opt(int(0)),
      max_restart: opt(int(0)),
      state: opt(oneOf(["started", "stopped", "enabled", "disabled", "ignored"])),
      type: opt(oneOf(["ct", "vm"])),
    },
  },
  {
    method: "GET",
    path: "/pools",
    params: { poolid: opt(fmt("pve-poolid")), type: opt(oneOf(["qemu", "lxc", "storage"], { requires: "poolid" })) },
  },
  { method: "POST", path: "/pools", params: { poolid: fmt("pve-poolid"), comment: opt(str()) } },
];

export const TASK_ENDPOINTS: EndpointDecl[] = [
  {
    method: "GET",
    path: "/nodes/{node}/tasks",
    params: {
      node: NODE,
      errors: opt(bool()),
      limit: opt(int(0)),
      since: opt(int()),
      source: opt(oneOf(["archive", "active", "all"])),
      start: opt(int(0)),
      statusfilter: opt(fmt("pve-task-status-type-list")),
      typefilter: opt(str()),
      until: opt(int()),
      userfilter: opt(str()),
      vmid: opt(VMID),
    },
  },
  { method: "GET", path: "/nodes/{node}/tasks/{upid}/status", params: { node: NODE, upid: str() } },
  {
    method: "GET",
    path: "/nodes/{node}/tasks/{upid}/log",
    params: { node: NODE, upid: str(), download: opt(bool()), limit: opt(int(0)), start: opt(int(0)) },
  },
  { method: "DELETE", path: "/nodes/{node}/tasks/{upid}", params: { node: NODE, upid: str() } },
];
