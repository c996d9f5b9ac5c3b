/** `dcim`: sites, manufacturers, device types and roles, platforms, devices, interfaces, MAC addresses. */
import * as f from "../engine/fields";
import type { CleanContext, DbView, FieldDef, FilterDef, ModelDef, Row } from "../engine/types";
import { parseIp } from "../ip";
import { baseFilters, bool, choice, fkId, fkName, fkSlug, int, nameSlugFilters, NO_EMPTY, rowName, statusChoices, str } from "./common";
import { cleanInterface, interfaceFields, MODE_CHOICES, saveInterface } from "./interfaces";

const zero = (): FieldDef => ({ kind: "computed", readOnly: true, compute: () => 0 });
const noRelation = (): FieldDef => ({ kind: "count", readOnly: true, nested: "omit", count: () => 0 });
const nullValue = (): FieldDef => ({ kind: "computed", readOnly: true, compute: () => null });

export const AIRFLOW = [
  ["front-to-rear", "Front to rear"],
  ["rear-to-front", "Rear to front"],
  ["left-to-right", "Left to right"],
  ["right-to-left", "Right to left"],
  ["side-to-rear", "Side to rear"],
  ["rear-to-side", "Rear to side"],
  ["bottom-to-top", "Bottom to top"],
  ["top-to-bottom", "Top to bottom"],
  ["passive", "Passive"],
  ["mixed", "Mixed"],
] as const;

export const site: ModelDef = {
  ctype: "dcim.site",
  path: "dcim/sites",
  objectName: "Site",
  verboseName: "site",
  fields: {
    ...f.head(),
    name: f.name(100, { unique: true }),
    slug: f.slug(100, { unique: true }),
    status: f.choice(statusChoices("planned", "staging", "active", "decommissioning", "retired"), { default: "active" }),
    region: f.fk("dcim.region", "set_null"),
    group: f.fk("dcim.sitegroup", "set_null"),
    tenant: f.fk("tenancy.tenant", "protect"),
    facility: f.str(50),
    time_zone: f.str(63, { nullable: true }),
    description: f.description(),
    physical_address: f.str(200),
    shipping_address: f.str(200),
    latitude: f.num({ min: -90, max: 90 }),
    longitude: f.num({ min: -180, max: 180 }),
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    comments: f.text(),
    asns: f.m2m("ipam.asn"),
    ...f.primaryTail({ owner: false, comments: false }),
    circuit_count: noRelation(),
    device_count: f.countOf("dcim.device", "site"),
    prefix_count: { kind: "count", readOnly: true, nested: "omit", count: (row, db) => db.genericReferrers("ipam.prefix", "scope_type", "dcim.site", row.id).size },
    rack_count: noRelation(),
    virtualmachine_count: f.countOf("virtualization.virtualmachine", "site"),
    vlan_count: f.countOf("ipam.vlan", "site"),
  },
  brief: ["id", "url", "display", "name", "description", "slug"],
  display: rowName,
  ordering: ["name"],
  filters: { ...baseFilters(), ...nameSlugFilters(), facility: str("facility"), status: choice("status"), tenant_id: fkId("tenant"), tenant: fkSlug("tenant") },
  search: ["name", "slug", "facility", "description", "physical_address", "shipping_address", "comments"],
  features: { tags: true, customFields: true, events: true },
};

export const manufacturer: ModelDef = {
  ctype: "dcim.manufacturer",
  path: "dcim/manufacturers",
  objectName: "Manufacturer",
  verboseName: "manufacturer",
  fields: {
    ...f.head(),
    name: f.name(100, { unique: true }),
    slug: f.slug(100, { unique: true }),
    description: f.description(),
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    comments: f.text({ since: "4.5" }),
    ...f.primaryTail({ owner: false, comments: false }),
    devicetype_count: f.countOf("dcim.devicetype", "manufacturer"),
    moduletype_count: { ...noRelation(), since: "4.5" },
    inventoryitem_count: noRelation(),
    platform_count: f.countOf("dcim.platform", "manufacturer"),
  },
  brief: ["id", "url", "display", "name", "slug", "description"],
  display: rowName,
  ordering: ["name"],
  filters: { ...baseFilters(), ...nameSlugFilters() },
  search: ["name", "slug", "description"],
  features: { tags: true, customFields: true, events: true },
};

const TEMPLATE_COUNTS = [
  "console_port_template_count",
  "console_server_port_template_count",
  "power_port_template_count",
  "power_outlet_template_count",
  "interface_template_count",
  "front_port_template_count",
  "rear_port_template_count",
  "device_bay_template_count",
  "module_bay_template_count",
  "inventory_item_template_count",
];

export const deviceType: ModelDef = {
  ctype: "dcim.devicetype",
  path: "dcim/device-types",
  objectName: "DeviceType",
  verboseName: "device type",
  fields: {
    ...f.head(),
    manufacturer: f.fk("dcim.manufacturer", "protect", { required: true }),
    default_platform: f.fk("dcim.platform", "set_null"),
    model: f.name(100),
    slug: f.slug(100),
    part_number: f.str(50),
    u_height: { kind: "num", default: 1, min: 0 },
    exclude_from_utilization: f.bool(false),
    is_full_depth: f.bool(true),
    subdevice_role: f.choice(
      [
        ["parent", "Parent"],
        ["child", "Child"],
      ],
      { nullable: true, blank: true, default: null },
    ),
    airflow: f.choice(AIRFLOW, { nullable: true, blank: true, default: null }),
    weight: f.num({ min: 0 }),
    weight_unit: f.choice(
      [
        ["kg", "Kilograms"],
        ["g", "Grams"],
        ["lb", "Pounds"],
        ["oz", "Ounces"],
      ],
      { nullable: true, blank: true, default: null },
    ),
    front_image: nullValue(),
    rear_image: nullValue(),
    description: f.description(),
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    comments: f.text(),
    ...f.primaryTail({ owner: false, comments: false }),
    device_count: f.countOf("dcim.device", "device_type"),
    ...Object.fromEntries(TEMPLATE_COUNTS.map((n) => [n, zero()])),
  },
  brief: ["id", "url", "display", "manufacturer", "model", "slug", "description", "device_count"],
  display: (row) => String(row.model),
  ordering: ["manufacturer", "model"],
  filters: { ...baseFilters(), model: str("model"), slug: str("slug"), part_number: str("part_number"), description: str("description"), manufacturer_id: fkId("manufacturer"), manufacturer: fkSlug("manufacturer") },
  search: ["model", "part_number", "description", "comments"],
  constraints: [
    { fields: ["manufacturer", "model"], message: "Device type with this Manufacturer and Model already exists." },
    { fields: ["manufacturer", "slug"], message: "Device type with this Manufacturer and Slug already exists." },
  ],
  features: { tags: true, customFields: true, events: true },
};

/** Depth in a parent chain (MPTT `level`). */
function depth(row: Row, db: DbView, ctype: string): number {
  let d = 0;
  let parent = row.parent;
  while (typeof parent === "number" && d < 100) {
    d++;
    parent = db.get(ctype, parent)?.parent;
  }
  return d;
}

/** MPTT's rule: an object cannot be its own ancestor. */
function cleanNested(ctype: string, verbose: string) {
  return (row: Row, ctx: CleanContext) => {
    let parent = row.parent;
    while (typeof parent === "number") {
      if (parent === row.id && ctx.before) return { parent: [`Cannot assign self or child ${verbose} as parent.`] };
      parent = ctx.db.get(ctype, parent)?.parent;
    }
    return null;
  };
}

export const deviceRole: ModelDef = {
  ctype: "dcim.devicerole",
  path: "dcim/device-roles",
  objectName: "DeviceRole",
  verboseName: "device role",
  fields: {
    ...f.head(),
    name: f.name(100),
    slug: f.slug(100),
    color: { kind: "str", maxLength: 6, format: "color", default: "9e9e9e" },
    vm_role: f.bool(true),
    config_template: f.fk("extras.configtemplate", "set_null"),
    parent: f.fk("dcim.devicerole", "cascade", { since: "4.4" }),
    description: f.description(),
    tags: { kind: "tags", default: () => [] },
    custom_fields: { kind: "custom_fields", default: () => ({}) },
    created: { kind: "timestamp", readOnly: true },
    last_updated: { kind: "timestamp", readOnly: true },
    device_count: f.countOf("dcim.device", "role", "zero"),
    virtualmachine_count: f.countOf("virtualization.virtualmachine", "role", "zero"),
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    comments: f.text({ since: "4.4" }),
    _depth: { kind: "computed", readOnly: true, since: "4.4", compute: (row, db) => depth(row, db, "dcim.devicerole") },
  },
  brief: ["id", "url", "display", "name", "slug", "description", "device_count", "virtualmachine_count", "_depth"],
  display: rowName,
  ordering: ["name"],
  filters: { ...baseFilters(), ...nameSlugFilters(), color: str("color"), vm_role: bool("vm_role") },
  search: ["name", "slug", "description"],
  constraints: [
    { fields: ["parent", "name"], message: "Device role with this Parent and Name already exists." },
    { fields: ["name"], condition: (r) => r.parent === null || r.parent === undefined, message: "A top-level device role with this name already exists." },
    { fields: ["parent", "slug"], message: "Device role with this Parent and Slug already exists." },
    { fields: ["slug"], condition: (r) => r.parent === null || r.parent === undefined, message: "A top-level device role with this slug already exists." },
  ],
  clean: cleanNested("dcim.devicerole", "device role"),
  features: { tags: true, customFields: true, events: true },
};

export const platform: ModelDef = {
  ctype: "dcim.platform",
  path: "dcim/platforms",
  objectName: "Platform",
  verboseName: "platform",
  fields: {
    ...f.head(),
    parent: f.fk("dcim.platform", "cascade", { since: "4.4" }),
    name: f.name(100),
    slug: f.slug(100),
    manufacturer: f.fk("dcim.manufacturer", "protect"),
    config_template: f.fk("extras.configtemplate", "set_null"),
    description: f.description(),
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    comments: f.text({ since: "4.4" }),
    ...f.primaryTail({ owner: false, comments: false }),
    device_count: f.countOf("dcim.device", "platform", "zero"),
    virtualmachine_count: f.countOf("virtualization.virtualmachine", "platform", "zero"),
    _depth: { kind: "computed", readOnly: true, since: "4.4", compute: (row, db) => depth(row, db, "dcim.platform") },
  },
  brief: ["id", "url", "display", "name", "slug", "description", "device_count", "virtualmachine_count", "_depth"],
  display: rowName,
  ordering: ["name"],
  filters: { ...baseFilters(), ...nameSlugFilters(), manufacturer_id: fkId("manufacturer"), manufacturer: fkSlug("manufacturer") },
  search: ["name", "slug", "description"],
  constraints: [
    { fields: ["manufacturer", "name"], message: "Platform with this Manufacturer and Name already exists." },
    { fields: ["name"], condition: (r) => r.manufacturer === null, message: "Platform name must be unique." },
    { fields: ["manufacturer", "slug"], message: "Platform with this Manufacturer and Slug already exists." },
    { fields: ["slug"], condition: (r) => r.manufacturer === null, message: "Platform slug must be unique." },
  ],
  clean: cleanNested("dcim.platform", "platform"),
  features: { tags: true, customFields: true, events: true },
};

/** The brief IP representation NetBox 4.6 nests for primary IPs (plus DNS name and NAT). */
export const PRIMARY_IP_RENDER = ["id", "url", "display", "family", "address", "description", "dns_name", "nat_inside", "nat_outside"];

/** `primary_ip`: IPv6 first unless PREFER_IPV4 (default off), like the model property. */
export const primaryIp = (): FieldDef =>
  f.computed((row, _db, ctx) => ctx.nest("ipam.ipaddress", (row.primary_ip6 as number | null) ?? row.primary_ip4, PRIMARY_IP_RENDER));

/** Checks `primary_ip4`/`primary_ip6` of a device or VM: the right family, assigned to one of its interfaces. */
export function cleanPrimaryIps(row: Row, ctx: CleanContext, interfaceCtype: string, interfaceParent: string, what: string): Record<string, string[]> | null {
  const interfaces = ctx.db.referrers(interfaceCtype, interfaceParent, row.id);
  for (const family of [4, 6] as const) {
    const field = `primary_ip${family}`;
    const id = row[field];
    if (typeof id !== "number") continue;
    const ipRow = ctx.db.get("ipam.ipaddress", id)!;
    const address = String(ipRow.address);
    const parsed = parseIp(address)!;
    if (parsed.family !== family) {
      return what === "device" ? { [field]: [`${address} is not an IPv${family} address.`] } : { [field]: [`Must be an IPv${family} address. (${address} is an IPv${parsed.family} address.)`] };
    }
    const assignedHere = (ip: Row | undefined) => ip !== undefined && ip.assigned_object_type === interfaceCtype && interfaces.has(ip.assigned_object_id as number);
    const natInside = typeof ipRow.nat_inside === "number" ? ctx.db.get("ipam.ipaddress", ipRow.nat_inside) : undefined;
    if (!assignedHere(ipRow) && !assignedHere(natInside)) return { [field]: [`The specified IP address (${address}) is not assigned to this ${what}.`] };
  }
  return null;
}

const DEVICE_COUNTS = ["console_port_count", "console_server_port_count", "power_port_count", "power_outlet_count", "front_port_count", "rear_port_count", "device_bay_count", "module_bay_count", "inventory_item_count"];

export const device: ModelDef = {
  ctype: "dcim.device",
  path: "dcim/devices",
  objectName: "Device",
  verboseName: "device",
  fields: {
    ...f.head(),
    name: { kind: "str", maxLength: 64, blank: true, nullable: true, default: null, indexed: true },
    device_type: f.fk("dcim.devicetype", "protect", { required: true }),
    role: f.fk("dcim.devicerole", "protect", { required: true }),
    tenant: f.fk("tenancy.tenant", "protect"),
    platform: f.fk("dcim.platform", "set_null"),
    serial: f.str(50),
    asset_tag: { kind: "str", maxLength: 50, blank: true, nullable: true, default: null, unique: true, label: "asset tag" },
    site: f.fk("dcim.site", "protect", { required: true }),
    location: f.fk("dcim.location", "protect"),
    rack: f.fk("dcim.rack", "protect"),
    position: f.num({ min: 0.5, max: 100 }),
    face: f.choice(
      [
        ["front", "Front"],
        ["rear", "Rear"],
      ],
      { nullable: true, blank: true, default: "" },
    ),
    latitude: f.num({ min: -90, max: 90 }),
    longitude: f.num({ min: -180, max: 180 }),
    parent_device: nullValue(),
    status: f.choice(statusChoices("offline", "active", "planned", "staged", "failed", "inventory", "decommissioning"), { default: "active" }),
    airflow: f.choice(AIRFLOW, { nullable: true, blank: true, default: "" }),
    primary_ip: primaryIp(),
    primary_ip4: f.fk("ipam.ipaddress", "set_null", { render: PRIMARY_IP_RENDER }),
    primary_ip6: f.fk("ipam.ipaddress", "set_null", { render: PRIMARY_IP_RENDER }),
    oob_ip: f.fk("ipam.ipaddress", "set_null", { render: PRIMARY_IP_RENDER }),
    cluster: f.fk("virtualization.cluster", "set_null"),
    virtual_chassis: f.fk("dcim.virtualchassis", "set_null"),
    vc_position: f.int({ min: 0, max: 255 }),
    vc_priority: f.int({ min: 0, max: 255 }),
    description: f.description(),
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    comments: f.text(),
    config_template: f.fk("extras.configtemplate", "protect"),
    local_context_data: f.json(),
    ...f.primaryTail({ owner: false, comments: false }),
    console_port_count: zero(),
    console_server_port_count: zero(),
    power_port_count: zero(),
    power_outlet_count: zero(),
    interface_count: { kind: "computed", readOnly: true, compute: (row, db) => db.referrers("dcim.interface", "device", row.id).size },
    ...Object.fromEntries(DEVICE_COUNTS.slice(4).map((n) => [n, zero()])),
    config_context: { kind: "computed", readOnly: true, compute: (row) => ({ ...((row.local_context_data as Record<string, unknown> | null) ?? {}) }) },
  },
  brief: ["id", "url", "display", "name", "description"],
  display: (row, db) => {
    if (row.name) return String(row.name);
    const type = db.get("dcim.devicetype", row.device_type as number);
    const maker = type ? db.get("dcim.manufacturer", type.manufacturer as number) : undefined;
    return `${String(maker?.name ?? "")} ${String(type?.model ?? "")} (${row.asset_tag ?? row.id})`;
  },
  ordering: ["name", "id"],
  filters: {
    ...baseFilters(),
    name: str("name"),
    serial: str("serial"),
    asset_tag: str("asset_tag"),
    description: str("description"),
    status: choice("status"),
    site_id: fkId("site"),
    site: fkSlug("site"),
    role_id: fkId("role"),
    role: fkSlug("role"),
    device_type_id: fkId("device_type"),
    platform_id: fkId("platform"),
    tenant_id: fkId("tenant"),
    cluster_id: fkId("cluster"),
    primary_ip4_id: fkId("primary_ip4"),
    primary_ip6_id: fkId("primary_ip6"),
    has_primary_ip: { kind: "custom", type: "bool", match: (row, [want]) => (row.primary_ip4 !== null || row.primary_ip6 !== null) === want },
  },
  search: ["name", "serial", "asset_tag", "description", "comments"],
  constraints: [
    { fields: ["lower(name)", "site", "tenant"], message: "Constraint “dcim_device_unique_name_site_tenant” is violated." },
    { fields: ["lower(name)", "site"], condition: (r) => r.tenant === null, message: "Device name must be unique per site." },
  ],
  clean: (row, ctx) => cleanPrimaryIps(row, ctx, "dcim.interface", "device", "device"),
  features: { tags: true, customFields: true, events: true },
};

export const INTERFACE_TYPES = [
  ["virtual", "Virtual"],
  ["bridge", "Bridge"],
  ["lag", "Link Aggregation Group (LAG)"],
  ["100base-tx", "100BASE-TX (10/100ME)"],
  ["1000base-t", "1000BASE-T (1GE)"],
  ["2.5gbase-t", "2.5GBASE-T (2.5GE)"],
  ["5gbase-t", "5GBASE-T (5GE)"],
  ["10gbase-t", "10GBASE-T (10GE)"],
  ["1000base-x-sfp", "SFP (1GE)"],
  ["10gbase-x-sfpp", "SFP+ (10GE)"],
  ["25gbase-x-sfp28", "SFP28 (25GE)"],
  ["40gbase-x-qsfpp", "QSFP+ (40GE)"],
  ["50gbase-x-sfp56", "SFP56 (50GE)"],
  ["100gbase-x-qsfp28", "QSFP28 (100GE)"],
  ["200gbase-x-qsfp56", "QSFP56 (200GE)"],
  ["400gbase-x-qsfpdd", "QSFP-DD (400GE)"],
  ["ieee802.11a", "IEEE 802.11a"],
  ["ieee802.11g", "IEEE 802.11b/g"],
  ["ieee802.11n", "IEEE 802.11n"],
  ["ieee802.11ac", "IEEE 802.11ac"],
  ["ieee802.11ax", "IEEE 802.11ax"],
  ["lte", "LTE"],
  ["5g", "5G"],
  ["other-wireless", "Other (Wireless)"],
  ["other", "Other"],
] as const;

export const dcimInterface: ModelDef = {
  ctype: "dcim.interface",
  path: "dcim/interfaces",
  objectName: "Interface",
  verboseName: "interface",
  fields: {
    ...f.head(),
    device: f.fk("dcim.device", "cascade", { required: true }),
    vdcs: f.m2m("dcim.virtualdevicecontext"),
    module: f.fk("dcim.module", "cascade"),
    name: f.name(64),
    label: f.str(64),
    type: f.choice(INTERFACE_TYPES, { required: true }),
    enabled: f.bool(true),
    parent: f.fk("dcim.interface", "set_null", { render: ["id", "url", "display_url", "display", "device", "name", "cable", "_occupied"] }),
    bridge: f.fk("dcim.interface", "set_null", { render: ["id", "url", "display_url", "display", "device", "name", "cable", "_occupied"] }),
    lag: f.fk("dcim.interface", "set_null", { render: ["id", "url", "display_url", "display", "device", "name", "cable", "_occupied"] }),
    mtu: f.int({ min: 1, max: 65536 }),
    ...interfaceFields("dcim.interface"),
    speed: f.int({ min: 0, max: 2147483647 }),
    duplex: f.choice(
      [
        ["half", "Half"],
        ["full", "Full"],
        ["auto", "Auto"],
      ],
      { nullable: true, blank: true, default: null },
    ),
    wwn: f.str(23, { nullable: true }),
    mgmt_only: f.bool(false),
    description: f.description(),
    mode: f.choice(MODE_CHOICES, { nullable: true, blank: true, default: "" }),
    untagged_vlan: f.fk("ipam.vlan", "set_null"),
    tagged_vlans: f.m2m("ipam.vlan"),
    qinq_svlan: f.fk("ipam.vlan", "set_null"),
    mark_connected: f.bool(false),
    cable: nullValue(),
    cable_end: { kind: "computed", readOnly: true, compute: () => "" },
    link_peers: { kind: "computed", readOnly: true, compute: () => [] },
    link_peers_type: nullValue(),
    vrf: f.fk("ipam.vrf", "set_null"),
    connected_endpoints: nullValue(),
    connected_endpoints_type: nullValue(),
    connected_endpoints_reachable: { kind: "computed", readOnly: true, compute: () => false },
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    ...f.primaryTail({ owner: false, comments: false }),
    count_ipaddresses: { kind: "computed", readOnly: true, compute: (row, db) => db.genericReferrers("ipam.ipaddress", "assigned_object_type", "dcim.interface", row.id).size },
    count_fhrp_groups: zero(),
    _occupied: { kind: "computed", readOnly: true, compute: (row) => row.mark_connected === true },
  },
  brief: ["id", "url", "display", "device", "name", "description", "cable", "_occupied"],
  display: rowName,
  ordering: ["device", "name"],
  filters: {
    ...baseFilters(),
    name: str("name"),
    label: str("label"),
    description: str("description"),
    type: choice("type"),
    enabled: bool("enabled"),
    mgmt_only: bool("mgmt_only"),
    mtu: int("mtu"),
    device_id: fkId("device"),
    device: fkName("device"),
    parent_id: fkId("parent"),
    bridge_id: fkId("bridge"),
    lag_id: fkId("lag"),
    vrf_id: fkId("vrf"),
    primary_mac_address_id: fkId("primary_mac_address"),
    mac_address: macFilter("dcim.interface"),
  },
  search: ["name", "label", "description"],
  constraints: [{ fields: ["device", "name"], message: "Interface with this Device and Name already exists." }],
  clean: (row, ctx) => {
    for (const link of ["parent", "bridge", "lag"] as const) {
      if (typeof row[link] !== "number") continue;
      if (row[link] === row.id) return { [link]: [link === "bridge" ? "An interface cannot be bridged to itself." : link === "lag" ? "A LAG interface cannot be its own parent." : "An interface cannot be its own parent."] };
      const other = ctx.db.get("dcim.interface", row[link] as number)!;
      if (other.device !== row.device) {
        const owner = ctx.db.get("dcim.device", other.device as number);
        return { [link]: [`The selected ${link === "lag" ? "LAG" : link} interface (${String(other.name)}) belongs to a different device (${String(owner?.name ?? "")}).`] };
      }
    }
    return cleanInterface("dcim.interface", row, ctx);
  },
  beforeSave: saveInterface,
  features: { tags: true, customFields: true, events: true },
};

/** `mac_address` filter on interfaces: matches the MACs assigned to the interface. */
export function macFilter(ctype: string): FilterDef {
  return {
    kind: "custom",
    type: "str",
    match: (row, values, db) => {
      const wanted = values.map((v) => String(v).toUpperCase().replace(/-/g, ":"));
      return [...db.genericReferrers("dcim.macaddress", "assigned_object_type", ctype, row.id)].some((id) => wanted.includes(String(db.get("dcim.macaddress", id)!.mac_address)));
    },
  };
}

const MAC_TARGETS = ["dcim.interface", "virtualization.vminterface"];

export const macAddress: ModelDef = {
  ctype: "dcim.macaddress",
  path: "dcim/mac-addresses",
  objectName: "MACAddress",
  verboseName: "MAC address",
  fields: {
    ...f.head(),
    mac_address: f.mac(),
    assigned_object_type: f.ctype({ allowed: MAC_TARGETS }),
    assigned_object_id: f.int({ min: 0 }),
    assigned_object: f.gfk("assigned_object_type", "assigned_object_id"),
    description: f.description(),
    ...f.primaryTail(),
  },
  brief: ["id", "url", "display", "mac_address", "description"],
  display: (row) => String(row.mac_address),
  ordering: ["mac_address", "id"],
  filters: {
    ...baseFilters(),
    mac_address: str("mac_address", NO_EMPTY),
    description: str("description"),
    assigned_object_id: int("assigned_object_id"),
    interface_id: assignedTo("dcim.macaddress", "dcim.interface"),
    vminterface_id: assignedTo("dcim.macaddress", "virtualization.vminterface"),
    device_id: assignedVia("dcim.macaddress", "dcim.interface", "device"),
    virtual_machine_id: assignedVia("dcim.macaddress", "virtualization.vminterface", "virtual_machine"),
  },
  search: ["mac_address", "description", "comments"],
  genericFks: [{ typeField: "assigned_object_type", idField: "assigned_object_id", allowed: MAC_TARGETS, required: false, onDelete: "cascade" }],
  clean: (row, ctx) => {
    const before = ctx.before;
    if (!before || typeof before.assigned_object_id !== "number") return null;
    const owner = ctx.db.get(before.assigned_object_type as string, before.assigned_object_id);
    if (!owner || owner.primary_mac_address !== row.id) return null;
    if (row.assigned_object_id === null) return { __all__: ["Cannot unassign MAC Address while it is designated as the primary MAC for an object"] };
    if (row.assigned_object_type !== before.assigned_object_type || row.assigned_object_id !== before.assigned_object_id) {
      return { __all__: ["Cannot reassign MAC Address while it is designated as the primary MAC for an object"] };
    }
    return null;
  },
  features: { tags: true, customFields: true, events: true },
};

/** `interface_id`/`vminterface_id` on objects with an `assigned_object` generic FK (ModelMultipleChoiceFilter). */
export function assignedTo(ownerCtype: string, ctype: string): FilterDef {
  return {
    kind: "custom",
    type: "int",
    validateModel: ctype,
    match: (row, values) => row.assigned_object_type === ctype && values.includes(row.assigned_object_id as number),
    candidates: (values, db) => {
      const ids = new Set<number>();
      for (const v of values) for (const id of db.genericReferrers(ownerCtype, "assigned_object_type", ctype, v as number)) ids.add(id);
      return ids;
    },
  };
}

/** `device_id`/`virtual_machine_id` on assigned objects, through the interface's parent (MultiValueNumberFilter). */
export function assignedVia(ownerCtype: string, interfaceCtype: string, parentField: string): FilterDef {
  return {
    kind: "custom",
    type: "int",
    match: (row, values, db) => {
      if (row.assigned_object_type !== interfaceCtype) return false;
      const iface = db.get(interfaceCtype, row.assigned_object_id as number);
      return iface !== undefined && values.includes(iface[parentField] as number);
    },
    candidates: (values, db) => {
      const ids = new Set<number>();
      for (const parent of values) {
        for (const iface of db.referrers(interfaceCtype, parentField, parent as number)) {
          for (const id of db.genericReferrers(ownerCtype, "assigned_object_type", interfaceCtype, iface)) ids.add(id);
        }
      }
      return ids;
    },
  };
}
