/** `virtualization`: cluster types and groups, clusters, VM types (4.6), VMs, VM interfaces, virtual disks. */
import * as f from "../engine/fields";
import type { DbView, DbWriter, FilterDef, ModelDef, Row } from "../engine/types";
import { baseFilters, bool, choice, fkId, fkName, fkSlug, int, nameSlugFilters, rowName, statusChoices, str } from "./common";
import { cleanPrimaryIps, macFilter, PRIMARY_IP_RENDER, primaryIp } from "./dcim";
import { cleanInterface, interfaceFields, MODE_CHOICES, saveInterface } from "./interfaces";

const organisational = (ctype: string, path: string, objectName: string, verboseName: string, countField: string): ModelDef => ({
  ctype,
  path,
  objectName,
  verboseName,
  fields: {
    ...f.head(),
    name: f.name(100, { unique: true }),
    slug: f.slug(100, { unique: true }),
    description: f.description(),
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    comments: f.text({ since: "4.5" }),
    ...f.primaryTail({ owner: false, comments: false }),
    cluster_count: f.countOf("virtualization.cluster", countField),
  },
  brief: ["id", "url", "display", "name", "slug", "description", "cluster_count"],
  display: rowName,
  ordering: ["name"],
  filters: { ...baseFilters(), ...nameSlugFilters() },
  search: ["name", "slug", "description"],
  features: { tags: true, customFields: true, events: true },
});

export const clusterType = organisational("virtualization.clustertype", "virtualization/cluster-types", "ClusterType", "cluster type", "type");
export const clusterGroup = organisational("virtualization.clustergroup", "virtualization/cluster-groups", "ClusterGroup", "cluster group", "group");

/** Scope types a cluster or prefix may name; only sites are modelled, the others fail like unknown objects. */
export const SCOPE_TYPES = ["dcim.region", "dcim.sitegroup", "dcim.site", "dcim.location"];

/** `CachedScopeMixin`: the cached `_site` of a scoped object (a site scope is its own site). */
export const scopeSite = (row: Row): number | null => (row.scope_type === "dcim.site" && typeof row.scope_id === "number" ? row.scope_id : null);

/** `site_id` on scoped objects, via the cached site (ModelMultipleChoiceFilter). */
export const scopedSiteFilter = (ctype: string): FilterDef => ({
  kind: "custom",
  type: "int",
  validateModel: "dcim.site",
  match: (row, values) => values.includes(row._site as number),
  candidates: (values, db) => {
    const ids = new Set<number>();
    for (const v of values) for (const id of db.byValue(ctype, "_site", v)) ids.add(id);
    return ids;
  },
});

function sumOf(db: DbView, field: string, ids: Iterable<number>, ctype: string): number {
  let total = 0;
  for (const id of ids) total += Number(db.get(ctype, id)?.[field] ?? 0);
  return total;
}

export const cluster: ModelDef = {
  ctype: "virtualization.cluster",
  path: "virtualization/clusters",
  objectName: "Cluster",
  verboseName: "cluster",
  fields: {
    ...f.head(),
    name: f.name(100),
    type: f.fk("virtualization.clustertype", "protect", { required: true }),
    group: f.fk("virtualization.clustergroup", "protect"),
    status: f.choice(statusChoices("planned", "staging", "active", "decommissioning", "offline"), { default: "active" }),
    tenant: f.fk("tenancy.tenant", "protect"),
    scope_type: f.ctype({ allowed: SCOPE_TYPES }),
    scope_id: f.int({ min: 0 }),
    scope: f.gfk("scope_type", "scope_id"),
    description: f.description(),
    ...f.primaryTail(),
    device_count: f.countOf("dcim.device", "cluster"),
    virtualmachine_count: f.countOf("virtualization.virtualmachine", "cluster"),
    allocated_vcpus: { kind: "count", readOnly: true, nested: "omit", count: (row, db) => sumOf(db, "vcpus", db.referrers("virtualization.virtualmachine", "cluster", row.id), "virtualization.virtualmachine") },
    allocated_memory: { kind: "count", readOnly: true, nested: "omit", count: (row, db) => sumOf(db, "memory", db.referrers("virtualization.virtualmachine", "cluster", row.id), "virtualization.virtualmachine") },
    allocated_disk: { kind: "count", readOnly: true, nested: "omit", count: (row, db) => sumOf(db, "disk", db.referrers("virtualization.virtualmachine", "cluster", row.id), "virtualization.virtualmachine") },
  },
  brief: ["id", "url", "display", "name", "description", "virtualmachine_count"],
  display: rowName,
  ordering: ["name"],
  filters: {
    ...baseFilters(),
    name: str("name"),
    description: str("description"),
    status: choice("status"),
    type_id: fkId("type"),
    type: fkSlug("type"),
    group_id: fkId("group"),
    group: fkSlug("group"),
    tenant_id: fkId("tenant"),
    tenant: fkSlug("tenant"),
    scope_id: int("scope_id"),
    site_id: scopedSiteFilter("virtualization.cluster"),
  },
  search: ["name", "description", "comments"],
  hiddenIndexes: ["_site"],
  genericFks: [{ typeField: "scope_type", idField: "scope_id", allowed: SCOPE_TYPES, required: false, onDelete: "cascade" }],
  // Django labels the cached `_site` field " site", hence the double space in its uniqueness message.
  constraints: [
    { fields: ["group", "name"], message: "Cluster with this Group and Name already exists." },
    { fields: ["_site", "name"], message: "Cluster with this  site and Name already exists." },
  ],
  beforeSave: (row) => {
    row._site = scopeSite(row);
  },
  clean: (row) => {
    row._site = scopeSite(row);
    return null;
  },
  // `update_virtualmachine_site`: VMs follow their cluster's site.
  afterChange: (_before, after, db) => {
    if (!after || typeof after._site !== "number") return;
    for (const vm of db.referrers("virtualization.virtualmachine", "cluster", after.id)) db.updateSilently("virtualization.virtualmachine", vm, { site: after._site });
  },
  features: { tags: true, customFields: true, events: true },
};

export const virtualMachineType: ModelDef = {
  ctype: "virtualization.virtualmachinetype",
  path: "virtualization/virtual-machine-types",
  objectName: "VirtualMachineType",
  verboseName: "virtual machine type",
  since: "4.6",
  fields: {
    ...f.head(),
    name: f.name(100),
    slug: f.slug(100, { unique: true }),
    default_platform: f.fk("dcim.platform", "set_null"),
    default_vcpus: f.num({ min: 0.01, max: 9999.99 }),
    default_memory: f.int({ min: 0, max: 2147483647 }),
    description: f.description(),
    ...f.primaryTail(),
    virtual_machine_count: { kind: "computed", readOnly: true, compute: (row, db) => db.referrers("virtualization.virtualmachine", "virtual_machine_type", row.id).size },
  },
  brief: ["id", "url", "display", "name", "slug", "description"],
  display: rowName,
  ordering: ["name"],
  filters: { ...baseFilters(), ...nameSlugFilters() },
  search: ["name", "slug", "description"],
  constraints: [{ fields: ["lower(name)"], message: "Virtual machine type name must be unique." }],
  features: { tags: true, customFields: true, events: true },
};

export const virtualMachine: ModelDef = {
  ctype: "virtualization.virtualmachine",
  path: "virtualization/virtual-machines",
  objectName: "VirtualMachine",
  verboseName: "virtual machine",
  fields: {
    ...f.head(),
    name: f.name(64),
    virtual_machine_type: f.fk("virtualization.virtualmachinetype", "protect", { since: "4.6" }),
    role: f.fk("dcim.devicerole", "protect"),
    status: f.choice(statusChoices("offline", "active", "planned", "staged", "failed", "decommissioning", "paused"), { default: "active" }),
    start_on_boot: f.choice(
      [
        ["on", "On"],
        ["off", "Off"],
        ["laststate", "Last State"],
      ],
      { default: "off", since: "4.5" },
    ),
    site: f.fk("dcim.site", "protect"),
    cluster: f.fk("virtualization.cluster", "protect"),
    device: f.fk("dcim.device", "protect"),
    platform: f.fk("dcim.platform", "set_null"),
    primary_ip: primaryIp(),
    primary_ip4: f.fk("ipam.ipaddress", "set_null", { render: PRIMARY_IP_RENDER }),
    primary_ip6: f.fk("ipam.ipaddress", "set_null", { render: PRIMARY_IP_RENDER }),
    vcpus: f.num({ min: 0.01, max: 9999.99 }),
    memory: f.int({ min: 0, max: 2147483647 }),
    disk: f.int({ min: 0, max: 2147483647 }),
    description: f.description(),
    serial: f.str(50),
    tenant: f.fk("tenancy.tenant", "protect"),
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    comments: f.text(),
    tags: { kind: "tags", default: () => [] },
    local_context_data: f.json(),
    config_template: f.fk("extras.configtemplate", "protect"),
    custom_fields: { kind: "custom_fields", default: () => ({}) },
    created: { kind: "timestamp", readOnly: true },
    last_updated: { kind: "timestamp", readOnly: true },
    interface_count: { kind: "computed", readOnly: true, compute: (row, db) => db.referrers("virtualization.vminterface", "virtual_machine", row.id).size },
    virtual_disk_count: { kind: "computed", readOnly: true, compute: (row, db) => db.referrers("virtualization.virtualdisk", "virtual_machine", row.id).size },
    config_context: { kind: "computed", readOnly: true, compute: (row) => ({ ...((row.local_context_data as Record<string, unknown> | null) ?? {}) }) },
  },
  brief: ["id", "url", "display", "name", "description"],
  display: rowName,
  ordering: ["name", "id"],
  filters: {
    ...baseFilters(),
    name: str("name"),
    description: str("description"),
    serial: str("serial"),
    status: choice("status"),
    cluster_id: fkId("cluster"),
    cluster: fkName("cluster"),
    site_id: fkId("site"),
    site: fkSlug("site"),
    device_id: fkId("device"),
    role_id: fkId("role"),
    role: fkSlug("role"),
    platform_id: fkId("platform"),
    tenant_id: fkId("tenant"),
    tenant: fkSlug("tenant"),
    primary_ip4_id: fkId("primary_ip4"),
    primary_ip6_id: fkId("primary_ip6"),
    vcpus: { kind: "value", field: "vcpus", type: "num" },
    memory: int("memory"),
    disk: int("disk"),
    has_primary_ip: { kind: "custom", type: "bool", match: (row, [want]) => (row.primary_ip4 !== null || row.primary_ip6 !== null) === want },
  },
  search: ["name", "description", "comments", "serial"],
  constraints: [
    { fields: ["lower(name)", "cluster", "tenant"], message: "Virtual machine name must be unique per cluster and tenant." },
    { fields: ["lower(name)", "cluster"], condition: (r) => r.tenant === null, message: "Virtual machine name must be unique per cluster." },
    { fields: ["lower(name)", "device", "tenant"], condition: (r) => r.cluster === null && r.device !== null, message: "Virtual machine name must be unique per device and tenant." },
    { fields: ["lower(name)", "device"], condition: (r) => r.cluster === null && r.device !== null && r.tenant === null, message: "Virtual machine name must be unique per device." },
  ],
  clean: (row, ctx) => {
    const db = ctx.db;
    if (row.site === null && row.cluster === null && row.device === null) return { __all__: ["A virtual machine must be assigned to a site, cluster, or device."] };
    const clusterRow = typeof row.cluster === "number" ? db.get("virtualization.cluster", row.cluster) : undefined;
    const siteRow = typeof row.site === "number" ? db.get("dcim.site", row.site) : undefined;
    const deviceRow = typeof row.device === "number" ? db.get("dcim.device", row.device) : undefined;
    if (clusterRow && siteRow && typeof clusterRow._site === "number" && clusterRow._site !== siteRow.id) {
      return { cluster: [`The selected cluster (${String(clusterRow.name)}) is not assigned to this site (${String(siteRow.name)}).`] };
    }
    if (deviceRow && siteRow && deviceRow.site !== siteRow.id) {
      return { site: [`The selected device (${String(deviceRow.name)}) is not assigned to this site (${String(siteRow.name)}).`] };
    }
    if (deviceRow && !clusterRow && typeof deviceRow.cluster === "number") {
      const hostCluster = db.get("virtualization.cluster", deviceRow.cluster);
      return { cluster: [`Must specify the assigned device's cluster (${String(hostCluster?.name ?? "")}) when assigning host device ${String(deviceRow.name)}.`] };
    }
    if (deviceRow && clusterRow && deviceRow.cluster !== clusterRow.id) {
      return { device: [`The selected device (${String(deviceRow.name)}) is not assigned to this cluster (${String(clusterRow.name)}).`] };
    }
    if (ctx.before) {
      const disks = db.referrers("virtualization.virtualdisk", "virtual_machine", row.id);
      const total = sumOf(db, "size", disks, "virtualization.virtualdisk");
      if (total && row.disk === null) row.disk = total;
      else if (total && row.disk !== total) {
        return { disk: [`The specified disk size (${String(row.disk)}) must match the aggregate size of assigned virtual disks (${total}).`] };
      }
    }
    return cleanPrimaryIps(row, ctx, "virtualization.vminterface", "virtual_machine", "VM");
  },
  beforeSave: (row, ctx) => {
    if (row.site !== null) return;
    const clusterRow = typeof row.cluster === "number" ? ctx.db.get("virtualization.cluster", row.cluster) : undefined;
    const deviceRow = typeof row.device === "number" ? ctx.db.get("dcim.device", row.device) : undefined;
    if (clusterRow && typeof clusterRow._site === "number") row.site = clusterRow._site;
    else if (deviceRow) row.site = deviceRow.site;
  },
  features: { tags: true, customFields: true, events: true },
};

const VM_NESTED = ["id", "url", "display_url", "display", "virtual_machine", "name"];

export const vmInterface: ModelDef = {
  ctype: "virtualization.vminterface",
  path: "virtualization/interfaces",
  objectName: "VMInterface",
  verboseName: "interface",
  fields: {
    ...f.head(),
    virtual_machine: f.fk("virtualization.virtualmachine", "cascade", { required: true }),
    name: f.name(64),
    enabled: f.bool(true),
    parent: f.fk("virtualization.vminterface", "set_null", { render: VM_NESTED }),
    bridge: f.fk("virtualization.vminterface", "set_null", { render: VM_NESTED }),
    mtu: f.int({ min: 1, max: 65536 }),
    ...interfaceFields("virtualization.vminterface"),
    description: f.description(),
    mode: f.choice(MODE_CHOICES, { nullable: true, blank: true, default: "" }),
    untagged_vlan: f.fk("ipam.vlan", "set_null"),
    tagged_vlans: f.m2m("ipam.vlan"),
    qinq_svlan: f.fk("ipam.vlan", "set_null"),
    vlan_translation_policy: f.fk("ipam.vlantranslationpolicy", "protect"),
    vrf: f.fk("ipam.vrf", "set_null"),
    l2vpn_termination: { kind: "computed", readOnly: true, compute: () => null },
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    ...f.primaryTail({ owner: false, comments: false }),
    count_ipaddresses: { kind: "computed", readOnly: true, compute: (row, db) => db.genericReferrers("ipam.ipaddress", "assigned_object_type", "virtualization.vminterface", row.id).size },
    count_fhrp_groups: { kind: "computed", readOnly: true, compute: () => 0 },
  },
  brief: ["id", "url", "display", "virtual_machine", "name", "description"],
  display: rowName,
  ordering: ["virtual_machine", "name"],
  filters: {
    ...baseFilters(),
    name: str("name"),
    description: str("description"),
    enabled: bool("enabled"),
    mtu: int("mtu"),
    virtual_machine_id: fkId("virtual_machine"),
    virtual_machine: fkName("virtual_machine"),
    parent_id: fkId("parent"),
    bridge_id: fkId("bridge"),
    vrf_id: fkId("vrf"),
    primary_mac_address_id: fkId("primary_mac_address"),
    mac_address: macFilter("virtualization.vminterface"),
    cluster_id: {
      kind: "custom",
      type: "int",
      validateModel: "virtualization.cluster",
      match: (row, values, db) => values.includes(db.get("virtualization.virtualmachine", row.virtual_machine as number)?.cluster as number),
    },
  },
  search: ["name", "description"],
  constraints: [{ fields: ["virtual_machine", "name"], message: "Interface with this Virtual machine and Name already exists." }],
  clean: (row, ctx) => {
    const vm = ctx.db.get("virtualization.virtualmachine", row.virtual_machine as number)!;
    for (const link of ["parent", "bridge"] as const) {
      if (typeof row[link] !== "number") continue;
      if (row[link] === row.id) return { [link]: [link === "parent" ? "An interface cannot be its own parent." : "An interface cannot be bridged to itself."] };
      const other = ctx.db.get("virtualization.vminterface", row[link] as number)!;
      if (other.virtual_machine !== row.virtual_machine) {
        return { [link]: [`The selected ${link} interface (${String(other.name)}) belongs to a different virtual machine (${String(ctx.db.get("virtualization.virtualmachine", other.virtual_machine as number)?.name ?? "")}).`] };
      }
    }
    if (typeof row.untagged_vlan === "number") {
      const vlan = ctx.db.get("ipam.vlan", row.untagged_vlan)!;
      if (vlan.site !== null && vlan.site !== vm.site) {
        return { untagged_vlan: [`The untagged VLAN (${String(vlan.name)} (${String(vlan.vid)})) must belong to the same site as the interface's parent virtual machine, or it must be global.`] };
      }
    }
    return cleanInterface("virtualization.vminterface", row, ctx);
  },
  beforeSave: saveInterface,
  features: { tags: true, customFields: true, events: true },
};

/** `update_virtualmachine_disk`: a VM's disk is the sum of its virtual disks (null without any). */
function updateVmDisk(vmId: unknown, db: DbWriter): void {
  if (typeof vmId !== "number" || !db.get("virtualization.virtualmachine", vmId)) return;
  const disks = db.referrers("virtualization.virtualdisk", "virtual_machine", vmId);
  db.updateSilently("virtualization.virtualmachine", vmId, { disk: disks.size ? sumOf(db, "size", disks, "virtualization.virtualdisk") : null });
}

export const virtualDisk: ModelDef = {
  ctype: "virtualization.virtualdisk",
  path: "virtualization/virtual-disks",
  objectName: "VirtualDisk",
  verboseName: "virtual disk",
  fields: {
    ...f.head(),
    virtual_machine: f.fk("virtualization.virtualmachine", "cascade", { required: true }),
    name: f.name(64),
    description: f.description(),
    size: { kind: "int", required: true, min: 0, max: 2147483647 },
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    ...f.primaryTail({ owner: false, comments: false }),
  },
  brief: ["id", "url", "display", "virtual_machine", "name", "description", "size"],
  display: rowName,
  ordering: ["virtual_machine", "name"],
  filters: { ...baseFilters(), name: str("name"), description: str("description"), size: int("size"), virtual_machine_id: fkId("virtual_machine"), virtual_machine: fkName("virtual_machine") },
  search: ["name", "description"],
  constraints: [{ fields: ["virtual_machine", "name"], message: "Virtual disk with this Virtual machine and Name already exists." }],
  afterChange: (before, after, db) => {
    updateVmDisk(after?.virtual_machine, db);
    if (before && before.virtual_machine !== after?.virtual_machine) updateVmDisk(before.virtual_machine, db);
  },
  features: { tags: true, customFields: true, events: true },
};

export const virtualizationModels = [clusterType, clusterGroup, cluster, virtualMachineType, virtualMachine, vmInterface, virtualDisk];
