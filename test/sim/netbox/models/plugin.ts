/**
 * The netbox-proxbox plugin's models under `/api/plugins/proxbox/…` (served only with `plugin: true`), with the
 * paths the proxbox contract names (§1, §12.3). Field names, choices and uniqueness follow the plugin's models
 * and serializers (emersonfelipesp/netbox-proxbox); each model carries a subset of its fields — the ones the
 * contract says a sync stage writes plus their identity keys — documented per model below. Plugin serializers
 * render `id, url, display` (no `display_url`) and nest related objects as `{id, url, display, name}`.
 */
import * as f from "../engine/fields";
import type { FieldDef, ModelDef, Row } from "../engine/types";
import { baseFilters, bool, choice, fkId, int, rowName, str } from "./common";

const NESTED = ["id", "url", "display", "name"];
const plain = (extra: { nullable?: boolean; maxLength?: number } = {}): FieldDef => ({ kind: "str", maxLength: extra.maxLength ?? 255, blank: true, nullable: extra.nullable ?? true, default: extra.nullable === false ? "" : null });
const mode = [
  ["undefined", "Undefined"],
  ["standalone", "Standalone"],
  ["cluster", "Cluster"],
] as const;
const activeStale = [
  ["active", "Active"],
  ["stale", "Stale"],
] as const;

const head = (): Record<string, FieldDef> => ({
  id: { kind: "int", readOnly: true },
  url: { kind: "computed", readOnly: true, compute: () => null },
  display: { kind: "computed", readOnly: true, compute: () => null },
});

const tail = (): Record<string, FieldDef> => ({
  tags: { kind: "tags", default: () => [] },
  custom_fields: { kind: "custom_fields", default: () => ({}) },
  created: { kind: "timestamp", readOnly: true },
  last_updated: { kind: "timestamp", readOnly: true },
});

const features = { tags: true, customFields: true, events: true };

/** Proxmox endpoint as the plugin stores it (connection settings only; secrets are write-only and not modelled). */
export const proxmoxEndpoint: ModelDef = {
  ctype: "netbox_proxbox.proxmoxendpoint",
  path: "plugins/proxbox/endpoints/proxmox",
  objectName: "ProxmoxEndpoint",
  verboseName: "Proxmox endpoint",
  fields: {
    ...head(),
    name: f.name(255, { unique: true }),
    ip_address: f.fk("ipam.ipaddress", "protect", { render: ["id", "url", "display", "address"] }),
    domain: plain(),
    port: { kind: "int", default: 8006, min: 1, max: 65535 },
    mode: f.choice(mode, { required: true }),
    version: plain({ maxLength: 20 }),
    username: plain(),
    token_name: plain(),
    verify_ssl: f.bool(true),
    allow_writes: f.bool(false),
    site: f.fk("dcim.site", "set_null", { render: NESTED }),
    tenant: f.fk("tenancy.tenant", "set_null", { render: NESTED }),
    ...tail(),
  },
  brief: ["id", "url", "display", "name"],
  display: rowName,
  ordering: ["name"],
  filters: { ...baseFilters(), name: str("name"), domain: str("domain") },
  search: ["name", "domain"],
  features,
};

export const proxmoxCluster: ModelDef = {
  ctype: "netbox_proxbox.proxmoxcluster",
  path: "plugins/proxbox/proxmox-clusters",
  objectName: "ProxmoxCluster",
  verboseName: "Proxmox cluster",
  fields: {
    ...head(),
    endpoint: f.fk("netbox_proxbox.proxmoxendpoint", "cascade", { required: true, render: NESTED }),
    netbox_cluster: f.fk("virtualization.cluster", "set_null", { render: NESTED }),
    name: f.name(255),
    cluster_id: plain(),
    mode: f.choice(mode, { default: "cluster" }),
    nodes_count: f.int({ min: 0 }),
    quorate: { kind: "bool", nullable: true, default: null },
    version: f.int(),
    ...tail(),
  },
  brief: ["id", "url", "display", "name"],
  display: rowName,
  ordering: ["name"],
  filters: { ...baseFilters(), name: str("name"), endpoint_id: fkId("endpoint"), netbox_cluster_id: fkId("netbox_cluster") },
  search: ["name"],
  constraints: [{ fields: ["endpoint", "name"], message: "Proxmox cluster with this Endpoint and Name already exists." }],
  features,
};

export const proxmoxNode: ModelDef = {
  ctype: "netbox_proxbox.proxmoxnode",
  path: "plugins/proxbox/proxmox-nodes",
  objectName: "ProxmoxNode",
  verboseName: "Proxmox node",
  fields: {
    ...head(),
    endpoint: f.fk("netbox_proxbox.proxmoxendpoint", "cascade", { required: true, render: NESTED }),
    proxmox_cluster: f.fk("netbox_proxbox.proxmoxcluster", "set_null", { render: NESTED }),
    netbox_device: f.fk("dcim.device", "set_null", { render: NESTED }),
    name: f.name(255),
    node_id: f.int(),
    ip_address: plain({ maxLength: 39 }),
    online: { kind: "bool", nullable: true, default: null },
    local: { kind: "bool", nullable: true, default: null },
    ...tail(),
  },
  brief: ["id", "url", "display", "name"],
  display: rowName,
  ordering: ["name"],
  filters: { ...baseFilters(), name: str("name"), endpoint_id: fkId("endpoint"), proxmox_cluster_id: fkId("proxmox_cluster"), netbox_device_id: fkId("netbox_device") },
  search: ["name"],
  constraints: [{ fields: ["endpoint", "name"], message: "Proxmox node with this Endpoint and Name already exists." }],
  features,
};

export const storage: ModelDef = {
  ctype: "netbox_proxbox.proxmoxstorage",
  path: "plugins/proxbox/storage",
  objectName: "ProxmoxStorage",
  verboseName: "Proxmox storage",
  fields: {
    ...head(),
    cluster: f.fk("virtualization.cluster", "cascade", { required: true }),
    name: f.name(255),
    storage_type: plain({ maxLength: 100 }),
    content: plain(),
    path: plain(),
    nodes: { kind: "str", blank: true, nullable: true, default: null },
    shared: f.bool(false),
    enabled: f.bool(true),
    server: plain(),
    port: f.int({ min: 0 }),
    username: plain(),
    export: plain(),
    share: plain(),
    pool: plain(),
    monhost: plain({ maxLength: 512 }),
    namespace: plain(),
    datastore: plain(),
    subdir: plain(),
    mountpoint: plain(),
    is_mountpoint: plain(),
    preallocation: plain({ maxLength: 50 }),
    format: plain({ maxLength: 100 }),
    prune_backups: plain({ maxLength: 512 }),
    max_protected_backups: f.int(),
    raw_config: { kind: "json", default: () => ({}) },
    ...tail(),
  },
  brief: ["id", "url", "display", "cluster", "name"],
  display: rowName,
  ordering: ["cluster", "name"],
  filters: { ...baseFilters(), name: str("name"), storage_type: str("storage_type"), cluster_id: fkId("cluster"), shared: bool("shared"), enabled: bool("enabled") },
  search: ["name", "storage_type", "content", "path"],
  constraints: [{ fields: ["cluster", "name"], message: "Proxmox storage with this Cluster and Name already exists." }],
  features,
};

const STORAGE_NESTED = ["id", "url", "display", "cluster", "name"];

export const vmBackup: ModelDef = {
  ctype: "netbox_proxbox.vmbackup",
  path: "plugins/proxbox/backups",
  objectName: "VMBackup",
  verboseName: "VM backup",
  fields: {
    ...head(),
    proxmox_storage: f.fk("netbox_proxbox.proxmoxstorage", "set_null", { render: STORAGE_NESTED }),
    virtual_machine: f.fk("virtualization.virtualmachine", "cascade", { required: true, render: ["id", "url", "display", "name"] }),
    storage: plain(),
    subtype: f.choice(
      [
        ["undefined", "Undefined"],
        ["lxc", "LXC"],
        ["ct", "CT"],
        ["qemu", "QEMU"],
        ["vm", "VM"],
      ],
      { default: "undefined", nullable: true },
    ),
    format: f.choice(
      ["undefined", "pbs-vm", "pbs-ct", "zst", "iso", "tzst", "tgz", "qcow2", "raw", "tar", "tbz"].map((v) => [v, v === "undefined" ? "Undefined" : v.toUpperCase().replace("-", " ")] as const),
      { default: "undefined", nullable: true },
    ),
    creation_time: f.datetime(),
    size: f.int({ min: 0 }),
    notes: { kind: "str", blank: true, nullable: true, default: null },
    volume_id: plain(),
    vmid: f.int({ min: 0 }),
    used: f.int({ min: 0 }),
    encrypted: plain({ nullable: false }),
    verification_state: plain(),
    verification_upid: plain(),
    ...tail(),
  },
  brief: ["id", "url", "display", "proxmox_storage", "storage", "creation_time"],
  display: (row) => `${String(row.volume_id ?? row.id)}`,
  ordering: ["storage", "virtual_machine", "creation_time"],
  filters: { ...baseFilters(), virtual_machine_id: fkId("virtual_machine"), proxmox_storage_id: fkId("proxmox_storage"), storage: str("storage"), volume_id: str("volume_id"), vmid: int("vmid") },
  search: ["storage", "volume_id", "notes"],
  constraints: [{ fields: ["storage", "virtual_machine", "subtype", "format", "volume_id", "vmid"], message: "VM backup with this Storage, Virtual machine, Subtype, Format, Volume id and Vmid already exists." }],
  features,
};

export const vmSnapshot: ModelDef = {
  ctype: "netbox_proxbox.vmsnapshot",
  path: "plugins/proxbox/snapshots",
  objectName: "VMSnapshot",
  verboseName: "VM snapshot",
  fields: {
    ...head(),
    proxmox_storage: f.fk("netbox_proxbox.proxmoxstorage", "set_null", { render: STORAGE_NESTED }),
    virtual_machine: f.fk("virtualization.virtualmachine", "cascade", { required: true, render: ["id", "url", "display", "name"] }),
    name: f.name(255),
    description: { kind: "str", blank: true, nullable: true, default: null },
    vmid: { kind: "int", required: true, min: 0 },
    node: { kind: "str", maxLength: 255, required: true },
    snaptime: f.datetime(),
    parent: plain(),
    // The plugin declares both as required ChoiceFields.
    subtype: f.choice(
      [
        ["qemu", "QEMU"],
        ["lxc", "LXC"],
      ],
      { required: true },
    ),
    status: f.choice(activeStale, { required: true }),
    ...tail(),
  },
  brief: ["id", "url", "display", "virtual_machine", "name"],
  display: rowName,
  ordering: ["virtual_machine", "node", "name"],
  filters: { ...baseFilters(), name: str("name"), virtual_machine_id: fkId("virtual_machine"), vmid: int("vmid"), node: str("node"), status: choice("status") },
  search: ["name", "node", "description"],
  constraints: [{ fields: ["vmid", "name", "node"], message: "VM snapshot with this Vmid, Name and Node already exists." }],
  features,
};

export const taskHistory: ModelDef = {
  ctype: "netbox_proxbox.vmtaskhistory",
  path: "plugins/proxbox/task-history",
  objectName: "VMTaskHistory",
  verboseName: "VM task history",
  fields: {
    ...head(),
    virtual_machine: f.fk("virtualization.virtualmachine", "cascade", { required: true, render: ["id", "url", "display", "name"] }),
    vm_type: { kind: "str", maxLength: 16, default: "qemu" },
    upid: { kind: "str", maxLength: 255, required: true, unique: true, label: "upid" },
    node: { kind: "str", maxLength: 255, required: true },
    pid: f.int({ min: 0 }),
    pstart: f.int(),
    task_id: plain(),
    task_type: { kind: "str", maxLength: 255, required: true },
    username: { kind: "str", maxLength: 255, required: true },
    start_time: { kind: "datetime", required: true },
    end_time: f.datetime(),
    description: { kind: "str", required: true },
    status: { kind: "str", required: true },
    task_state: plain(),
    exitstatus: { kind: "str", blank: true, nullable: true, default: null },
    ...tail(),
  },
  brief: ["id", "url", "display", "upid"],
  display: (row) => String(row.upid),
  ordering: ["-start_time", "virtual_machine", "node"],
  filters: { ...baseFilters(), upid: str("upid"), virtual_machine_id: fkId("virtual_machine"), node: str("node"), task_type: str("task_type"), status: str("status") },
  search: ["upid", "task_type", "username", "status"],
  features,
};

export const replication: ModelDef = {
  ctype: "netbox_proxbox.replication",
  path: "plugins/proxbox/replications",
  objectName: "Replication",
  verboseName: "replication",
  fields: {
    ...head(),
    endpoint: f.fk("netbox_proxbox.proxmoxendpoint", "cascade", { render: NESTED }),
    replication_id: { kind: "str", maxLength: 255, required: true },
    virtual_machine: f.fk("virtualization.virtualmachine", "cascade", { required: true, render: NESTED }),
    proxmox_node: f.fk("netbox_proxbox.proxmoxnode", "set_null", { render: NESTED }),
    guest: { kind: "int", required: true, min: 0 },
    target: { kind: "str", maxLength: 255, required: true },
    job_type: f.choice([["local", "Local"]], { default: "local" }),
    schedule: f.str(128),
    rate: f.num(),
    comment: { kind: "str", blank: true, nullable: true, default: null },
    disable: f.bool(false),
    source: plain(),
    jobnum: { kind: "int", required: true, min: 0 },
    remove_job: f.choice(
      [
        ["local", "Local"],
        ["full", "Full"],
      ],
      { nullable: true, blank: true, default: null },
    ),
    status: f.choice(activeStale, { default: "active" }),
    raw_config: { kind: "json", default: () => ({}) },
    ...tail(),
  },
  brief: ["id", "url", "display", "replication_id"],
  display: (row, db) => `${String(db.get("virtualization.virtualmachine", row.virtual_machine as number)?.name ?? "")} - ${String(row.replication_id)}`,
  ordering: ["endpoint", "replication_id"],
  filters: { ...baseFilters(), replication_id: str("replication_id"), endpoint_id: fkId("endpoint"), virtual_machine_id: fkId("virtual_machine"), status: choice("status") },
  search: ["replication_id", "target", "comment"],
  constraints: [{ fields: ["endpoint", "replication_id"], message: "Replication with this Endpoint and Replication id already exists." }],
  features,
};

const keep = (): FieldDef => f.int({ min: 0 });

export const backupRoutine: ModelDef = {
  ctype: "netbox_proxbox.backuproutine",
  path: "plugins/proxbox/backup-routines",
  objectName: "BackupRoutine",
  verboseName: "backup routine",
  fields: {
    ...head(),
    endpoint: f.fk("netbox_proxbox.proxmoxendpoint", "cascade", { render: NESTED }),
    job_id: { kind: "str", maxLength: 255, required: true },
    enabled: f.bool(true),
    schedule: f.str(255),
    next_run: f.datetime(),
    node: f.fk("netbox_proxbox.proxmoxnode", "set_null", { render: NESTED }),
    storage: f.fk("netbox_proxbox.proxmoxstorage", "set_null", { render: STORAGE_NESTED }),
    selection: { kind: "json", default: () => [] },
    comment: { kind: "str", blank: true, nullable: true, default: null },
    status: f.choice(activeStale, { default: "active" }),
    keep_last: keep(),
    keep_daily: keep(),
    keep_weekly: keep(),
    keep_monthly: keep(),
    keep_yearly: keep(),
    keep_all: f.bool(false),
    raw_config: { kind: "json", default: () => ({}) },
    ...tail(),
  },
  brief: ["id", "url", "display", "job_id"],
  display: (row) => String(row.job_id),
  ordering: ["job_id"],
  filters: { ...baseFilters(), job_id: str("job_id"), endpoint_id: fkId("endpoint"), status: choice("status"), enabled: bool("enabled") },
  search: ["job_id", "schedule", "comment"],
  constraints: [{ fields: ["endpoint", "job_id"], message: "Backup routine with this Endpoint and Job id already exists." }],
  features,
};

/** Shared sync-state trailer (`ProxboxSyncStateBase` plus the NetBox model tail). */
const syncTrailer = (): Record<string, FieldDef> => ({
  proxmox_last_updated: f.datetime(),
  last_updated: { kind: "timestamp", readOnly: true },
  last_run_id: f.str(255),
  tags: { kind: "tags", default: () => [] },
  custom_fields: { kind: "custom_fields", default: () => ({}) },
  created: { kind: "timestamp", readOnly: true },
});

function sidecar(options: {
  segment: string;
  model: string;
  parent: string;
  parentCtype: string;
  verbose: string;
  fields: Record<string, FieldDef>;
  brief: readonly string[];
  filters?: ModelDef["filters"];
}): ModelDef {
  const { segment, parent, parentCtype } = options;
  return {
    ctype: `netbox_proxbox.${options.model.toLowerCase()}`,
    path: `plugins/proxbox/sync-state/${segment}`,
    objectName: options.model,
    verboseName: options.verbose,
    fields: {
      ...head(),
      [parent]: { kind: "fk", to: parentCtype, onDelete: "cascade", required: true, unique: true, render: NESTED, label: parent.replace(/_/g, " ") },
      ...options.fields,
      ...syncTrailer(),
    },
    brief: options.brief,
    display: (row: Row, db) => `${String(db.get(parentCtype, row[parent] as number)?.name ?? "")} Proxbox sync state`,
    ordering: [parent],
    filters: { ...baseFilters(), [`${parent}_id`]: fkId(parent), ...options.filters },
    search: [],
    features,
  };
}

const identity = (): Record<string, FieldDef> => ({
  endpoint: f.fk("netbox_proxbox.proxmoxendpoint", "set_null", { render: NESTED }),
  proxmox_node: f.fk("netbox_proxbox.proxmoxnode", "set_null", { render: NESTED }),
  proxmox_node_name: f.str(255),
  proxmox_cluster: f.fk("netbox_proxbox.proxmoxcluster", "set_null", { render: NESTED }),
  proxmox_cluster_name: f.str(255),
});

export const vmSyncState = sidecar({
  segment: "virtual-machines",
  model: "ProxboxVirtualMachineSyncState",
  parent: "virtual_machine",
  parentCtype: "virtualization.virtualmachine",
  verbose: "Proxbox virtual machine sync state",
  fields: {
    ...identity(),
    proxmox_endpoint_raw_id: f.int(),
    proxmox_vm_id: f.int(),
    proxmox_vm_type: f.str(64),
    proxmox_vm_name: f.str(255),
    proxmox_last_synced_role_id: f.int({ min: 0 }),
    proxmox_start_at_boot: { kind: "bool", nullable: true, default: null },
    proxmox_qemu_agent: { kind: "bool", nullable: true, default: null },
    proxmox_status: f.str(64),
    proxmox_tags: f.text(),
    proxmox_vmid: f.str(64),
  },
  brief: ["id", "url", "display", "virtual_machine", "proxmox_vm_id"],
  filters: {
    endpoint_id: fkId("endpoint"),
    proxmox_node_id: fkId("proxmox_node"),
    proxmox_vm_id: int("proxmox_vm_id"),
    proxmox_endpoint_raw_id: int("proxmox_endpoint_raw_id"),
    proxmox_cluster_name: str("proxmox_cluster_name"),
    proxmox_vm_type: str("proxmox_vm_type"),
  },
});

export const deviceSyncState = sidecar({
  segment: "devices",
  model: "ProxboxDeviceSyncState",
  parent: "device",
  parentCtype: "dcim.device",
  verbose: "Proxbox device sync state",
  fields: { ...identity(), proxmox_link: f.str(500), proxmox_tags: f.text(), hardware_chassis_serial: f.str(255) },
  brief: ["id", "url", "display", "device", "proxmox_node_name"],
  filters: { endpoint_id: fkId("endpoint"), proxmox_node_id: fkId("proxmox_node"), proxmox_node_name: str("proxmox_node_name") },
});

export const clusterSyncState = sidecar({
  segment: "clusters",
  model: "ProxboxClusterSyncState",
  parent: "cluster",
  parentCtype: "virtualization.cluster",
  verbose: "Proxbox cluster sync state",
  fields: {
    proxmox_cluster: f.fk("netbox_proxbox.proxmoxcluster", "set_null", { render: NESTED }),
    proxmox_cluster_name: f.str(255),
    proxmox_cluster_status: f.str(64),
    proxmox_cluster_raw_id: f.int(),
  },
  brief: ["id", "url", "display", "cluster", "proxmox_cluster_name"],
  filters: { proxmox_cluster_id: fkId("proxmox_cluster"), proxmox_cluster_name: str("proxmox_cluster_name") },
});

export const vmInterfaceSyncState = sidecar({
  segment: "vm-interfaces",
  model: "ProxboxVMInterfaceSyncState",
  parent: "vm_interface",
  parentCtype: "virtualization.vminterface",
  verbose: "Proxbox VM interface sync state",
  fields: {
    proxbox_bridge: f.fk("dcim.interface", "set_null", { render: NESTED }),
    proxbox_bridge_raw_id: f.int(),
    proxbox_bridge_raw_value: f.text(),
  },
  brief: ["id", "url", "display", "vm_interface", "proxbox_bridge"],
  filters: { proxbox_bridge_id: fkId("proxbox_bridge") },
});

export const virtualDiskSyncState = sidecar({
  segment: "virtual-disks",
  model: "ProxboxVirtualDiskSyncState",
  parent: "virtual_disk",
  parentCtype: "virtualization.virtualdisk",
  verbose: "Proxbox virtual disk sync state",
  fields: {
    proxbox_storage: f.fk("netbox_proxbox.proxmoxstorage", "set_null", { render: STORAGE_NESTED }),
    proxbox_storage_raw_id: f.int(),
    proxbox_storage_raw_value: f.text(),
  },
  brief: ["id", "url", "display", "virtual_disk", "proxbox_storage"],
  filters: { proxbox_storage_id: fkId("proxbox_storage") },
});

/**
 * The plugin's settings singleton (GET/PATCH only). Fields: the runtime knobs the backend reads (contract §1,
 * defaults from `settings_client.py`) and the encryption key, which is write-only except on `settings/runtime/`.
 */
export const pluginSettings: ModelDef = {
  ctype: "netbox_proxbox.proxboxpluginsettings",
  path: "plugins/proxbox/settings",
  objectName: "ProxboxPluginSettings",
  verboseName: "Proxbox plugin settings",
  methods: ["GET", "PATCH"],
  fields: {
    ...head(),
    use_guest_agent_interface_name: f.bool(true),
    ignore_ipv6_link_local_addresses: f.bool(true),
    ensure_netbox_objects: f.bool(true),
    delete_orphans: f.bool(false),
    custom_fields_enabled: f.bool(false),
    netbox_max_concurrent: { kind: "int", default: 1, min: 1, max: 32767 },
    netbox_timeout: { kind: "int", default: 120, min: 1 },
    netbox_write_concurrency: { kind: "int", default: 8, min: 1, max: 32767 },
    netbox_max_retries: { kind: "int", default: 5, min: 0, max: 32767 },
    bulk_batch_size: { kind: "int", default: 50, min: 1, max: 32767 },
    bulk_batch_delay_ms: { kind: "int", default: 500, min: 0 },
    vm_sync_max_concurrency: { kind: "int", default: 4, min: 1, max: 32767 },
    parse_description_metadata: f.bool(false),
    encryption_key: { kind: "str", maxLength: 255, blank: true, default: "", writeOnly: true },
    ...tail(),
  },
  brief: ["id", "url", "display"],
  display: () => "Proxbox plugin settings",
  ordering: ["id"],
  filters: { id: int("id") },
  search: [],
  features: { tags: true, customFields: true, events: false },
};

export const pluginModels = [
  proxmoxEndpoint,
  proxmoxCluster,
  proxmoxNode,
  storage,
  vmBackup,
  vmSnapshot,
  taskHistory,
  replication,
  backupRoutine,
  vmSyncState,
  deviceSyncState,
  clusterSyncState,
  vmInterfaceSyncState,
  virtualDiskSyncState,
  pluginSettings,
];
