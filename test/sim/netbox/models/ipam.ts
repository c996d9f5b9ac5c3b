/** `ipam` (VRFs, VLANs, prefixes, IP addresses) and `tenancy` (tenants). */
import * as f from "../engine/fields";
import type { CleanContext, DbView, FilterDef, ModelDef, RenderContext, Row } from "../engine/types";
import { contains, familyBits, formatHost, hostKey, networkOf, lastOf, parseIp } from "../ip";
import { baseFilters, bool, choice, fkId, fkSlug, int, nameSlugFilters, rowName, statusChoices, str } from "./common";
import { assignedTo, assignedVia } from "./dcim";
import { SCOPE_TYPES, scopedSiteFilter, scopeSite } from "./virtualization";

const countRelation = (ctype: string, field: string) => f.countOf(ctype, field);

export const tenant: ModelDef = {
  ctype: "tenancy.tenant",
  path: "tenancy/tenants",
  objectName: "Tenant",
  verboseName: "tenant",
  fields: {
    ...f.head(),
    name: f.name(100),
    slug: f.slug(100),
    group: f.fk("tenancy.tenantgroup", "protect"),
    description: f.description(),
    ...f.primaryTail(),
    circuit_count: { kind: "count", readOnly: true, nested: "omit", count: () => 0 },
    device_count: countRelation("dcim.device", "tenant"),
    ipaddress_count: countRelation("ipam.ipaddress", "tenant"),
    prefix_count: countRelation("ipam.prefix", "tenant"),
    rack_count: { kind: "count", readOnly: true, nested: "omit", count: () => 0 },
    site_count: countRelation("dcim.site", "tenant"),
    virtualmachine_count: countRelation("virtualization.virtualmachine", "tenant"),
    vlan_count: countRelation("ipam.vlan", "tenant"),
    vrf_count: countRelation("ipam.vrf", "tenant"),
    cluster_count: countRelation("virtualization.cluster", "tenant"),
  },
  brief: ["id", "url", "display", "name", "slug", "description"],
  display: rowName,
  ordering: ["name"],
  filters: { ...baseFilters(), ...nameSlugFilters() },
  search: ["name", "slug", "description", "comments"],
  constraints: [
    { fields: ["group", "name"], message: "Tenant name must be unique per group." },
    { fields: ["name"], condition: (r) => r.group === null, message: "Constraint “tenancy_tenant_unique_name” is violated." },
    { fields: ["group", "slug"], message: "Tenant slug must be unique per group." },
    { fields: ["slug"], condition: (r) => r.group === null, message: "Constraint “tenancy_tenant_unique_slug” is violated." },
  ],
  features: { tags: true, customFields: true, events: true },
};

export const vrf: ModelDef = {
  ctype: "ipam.vrf",
  path: "ipam/vrfs",
  objectName: "VRF",
  verboseName: "VRF",
  fields: {
    ...f.head(),
    name: f.name(100),
    rd: { kind: "str", maxLength: 21, blank: true, nullable: true, default: null, unique: true, label: "route distinguisher" },
    tenant: f.fk("tenancy.tenant", "protect"),
    enforce_unique: f.bool(true),
    description: f.description(),
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    comments: f.text(),
    import_targets: f.m2m("ipam.routetarget"),
    export_targets: f.m2m("ipam.routetarget"),
    ...f.primaryTail({ owner: false, comments: false }),
    ipaddress_count: countRelation("ipam.ipaddress", "vrf"),
    prefix_count: countRelation("ipam.prefix", "vrf"),
  },
  brief: ["id", "url", "display", "name", "rd", "description", "prefix_count"],
  display: (row) => (row.rd ? `${String(row.name)} (${String(row.rd)})` : String(row.name)),
  ordering: ["name", "rd", "id"],
  filters: { ...baseFilters(), name: str("name"), rd: str("rd"), description: str("description"), enforce_unique: bool("enforce_unique"), tenant_id: fkId("tenant"), tenant: fkSlug("tenant") },
  search: ["name", "rd", "description"],
  features: { tags: true, customFields: true, events: true },
};

export const vlan: ModelDef = {
  ctype: "ipam.vlan",
  path: "ipam/vlans",
  objectName: "VLAN",
  verboseName: "VLAN",
  fields: {
    ...f.head(),
    site: f.fk("dcim.site", "protect"),
    group: f.fk("ipam.vlangroup", "protect"),
    vid: { kind: "int", required: true, min: 1, max: 4094, indexed: true },
    name: f.name(64),
    tenant: f.fk("tenancy.tenant", "protect"),
    status: f.choice(statusChoices("active", "reserved", "deprecated"), { default: "active" }),
    role: f.fk("ipam.role", "set_null"),
    description: f.description(),
    qinq_role: f.choice(
      [
        ["svlan", "Service"],
        ["cvlan", "Customer"],
      ],
      { nullable: true, blank: true, default: null },
    ),
    qinq_svlan: f.fk("ipam.vlan", "protect", { render: ["id", "url", "display", "vid", "name", "description"] }),
    owner: f.fk("users.owner", "protect", { since: "4.5" }),
    comments: f.text(),
    l2vpn_termination: { kind: "computed", readOnly: true, compute: () => null },
    ...f.primaryTail({ owner: false, comments: false }),
    prefix_count: countRelation("ipam.prefix", "vlan"),
  },
  brief: ["id", "url", "display", "vid", "name", "description"],
  display: (row) => `${String(row.name)} (${String(row.vid)})`,
  ordering: ["site", "group", "vid", "id"],
  filters: {
    ...baseFilters(),
    name: str("name"),
    description: str("description"),
    vid: int("vid"),
    status: choice("status"),
    site_id: fkId("site"),
    site: fkSlug("site"),
    tenant_id: fkId("tenant"),
    tenant: fkSlug("tenant"),
  },
  search: ["name", "description", "comments"],
  features: { tags: true, customFields: true, events: true },
};

const FAMILY = { 4: "IPv4", 6: "IPv6" } as const;

/** `family` as NetBox renders it: `{value: 4, label: "IPv4"}`. */
const familyField = (field: string) =>
  f.computed((row) => {
    const family = String(row[field]).includes(":") ? 6 : 4;
    return { value: family, label: FAMILY[family] };
  });

const globallyUnique = (row: Row, db: DbView) => (typeof row.vrf === "number" ? db.get("ipam.vrf", row.vrf)?.enforce_unique === true : true);
const tableName = (row: Row, db: DbView) => (typeof row.vrf === "number" ? `VRF ${vrf.display(db.get("ipam.vrf", row.vrf)!, db)}` : "global table");

/** Where an address sits for uniqueness and allocation: its VRF (or the global table) and host. */
export const hostIndexKey = (vrfId: unknown, family: 4 | 6, host: bigint) => `${typeof vrfId === "number" ? vrfId : "global"}|${hostKey(family, host)}`;

/** The ordered-index group of an address: its VRF (or the global table) and family. */
export const ipGroup = (vrfId: unknown, family: 4 | 6) => `${typeof vrfId === "number" ? vrfId : "global"}|${family}`;

export const prefix: ModelDef = {
  ctype: "ipam.prefix",
  path: "ipam/prefixes",
  objectName: "Prefix",
  verboseName: "prefix",
  fields: {
    ...f.head(),
    family: familyField("prefix"),
    prefix: f.cidr(),
    vrf: f.fk("ipam.vrf", "protect"),
    scope_type: f.ctype({ allowed: SCOPE_TYPES }),
    scope_id: f.int({ min: 0 }),
    scope: f.gfk("scope_type", "scope_id"),
    tenant: f.fk("tenancy.tenant", "protect"),
    vlan: f.fk("ipam.vlan", "protect"),
    status: f.choice(statusChoices("container", "active", "reserved", "deprecated"), { default: "active" }),
    role: f.fk("ipam.role", "set_null"),
    is_pool: f.bool(false),
    mark_utilized: f.bool(false),
    description: f.description(),
    ...f.primaryTail(),
    children: { kind: "computed", readOnly: true, compute: (row, db) => childPrefixes(row, db) },
    _depth: { kind: "computed", readOnly: true, compute: (row, db) => parentPrefixes(row, db) },
  },
  brief: ["id", "url", "display", "family", "prefix", "description", "_depth"],
  display: (row) => String(row.prefix),
  ordering: ["vrf", "prefix", "id"],
  filters: {
    ...baseFilters(),
    prefix: { kind: "value", field: "prefix", type: "str", lookups: false },
    description: str("description"),
    status: choice("status"),
    is_pool: bool("is_pool"),
    mark_utilized: bool("mark_utilized"),
    vrf_id: fkId("vrf"),
    tenant_id: fkId("tenant"),
    tenant: fkSlug("tenant"),
    vlan_id: fkId("vlan"),
    scope_id: int("scope_id"),
    site_id: scopedSiteFilter("ipam.prefix"),
    family: { kind: "custom", type: "int", match: (row, values) => values.includes(parseIp(String(row.prefix))!.family) },
    within: containmentFilter("within"),
    within_include: containmentFilter("within_include"),
    contains: containmentFilter("contains"),
  },
  search: ["prefix", "description", "comments"],
  hiddenIndexes: ["_site"],
  genericFks: [{ typeField: "scope_type", idField: "scope_id", allowed: SCOPE_TYPES, required: false, onDelete: "cascade" }],
  clean: (row, ctx) => {
    row._site = scopeSite(row);
    const p = parseIp(String(row.prefix))!;
    if (p.length === 0) return { prefix: ["Cannot create prefix with /0 mask."] };
    if (globallyUnique(row, ctx.db)) {
      for (const other of ctx.db.byValue("ipam.prefix", "prefix", row.prefix)) {
        const o = ctx.db.get("ipam.prefix", other)!;
        if (o.id !== row.id && o.vrf === row.vrf) return { prefix: [`Duplicate prefix found in ${tableName(row, ctx.db)}: ${String(o.prefix)}`] };
      }
    }
    return null;
  },
  beforeSave: (row) => {
    row._site = scopeSite(row);
  },
  features: { tags: true, customFields: true, events: true },
};

/** `within`/`within_include`/`contains` prefix filters (by CIDR, in any VRF). */
function containmentFilter(kind: "within" | "within_include" | "contains"): FilterDef {
  return {
    kind: "custom",
    type: "str",
    match: (row, values) => {
      const p = parseIp(String(row.prefix));
      const q = parseIp(String(values[values.length - 1]));
      if (!p || !q) return false;
      if (kind === "contains") return contains(p, q) && p.length <= q.length;
      const inside = contains(q, p) && p.length >= q.length;
      return kind === "within" ? inside && p.length > q.length : inside;
    },
  };
}

function sameSpace(a: Row, b: Row, row: Row): boolean {
  // A global container counts children in every VRF (`get_child_prefixes`).
  return a.vrf === b.vrf || (row.vrf === null && row.status === "container");
}

function childPrefixes(row: Row, db: DbView): number {
  const p = parseIp(String(row.prefix))!;
  let n = 0;
  for (const other of db.rows("ipam.prefix")) {
    const o = parseIp(String(other.prefix))!;
    if (other.id !== row.id && o.length > p.length && contains(p, o) && sameSpace(row, other, row)) n++;
  }
  return n;
}

function parentPrefixes(row: Row, db: DbView): number {
  const p = parseIp(String(row.prefix))!;
  let n = 0;
  for (const other of db.rows("ipam.prefix")) {
    const o = parseIp(String(other.prefix))!;
    if (other.id !== row.id && o.length < p.length && contains(o, p) && other.vrf === row.vrf) n++;
  }
  return n;
}

/** `NestedIPAddressSerializer` (NAT links): `family` is a plain integer there, not a choice object. */
function nestedIp(row: Row, ctx: RenderContext): Record<string, unknown> {
  const address = String(row.address);
  return { id: row.id, url: `${ctx.origin}/api/ipam/ip-addresses/${row.id}/`, display_url: `${ctx.origin}/ipam/ip-addresses/${row.id}/`, display: address, family: address.includes(":") ? 6 : 4, address };
}

const IP_TARGETS = ["dcim.interface", "virtualization.vminterface", "ipam.fhrpgroup"];
const NON_UNIQUE_ROLES = new Set(["anycast", "vip", "vrrp", "hsrp", "glbp", "carp"]);

/** The interface's parent (device or VM), for the primary-IP reassignment rule. */
function parentOf(db: DbView, type: unknown, id: unknown): string | null {
  if (typeof type !== "string" || typeof id !== "number") return null;
  const iface = db.get(type, id);
  if (!iface) return null;
  if (type === "dcim.interface") return `dcim.device:${String(iface.device)}`;
  if (type === "virtualization.vminterface") return `virtualization.virtualmachine:${String(iface.virtual_machine)}`;
  return null;
}

function cleanIpAddress(row: Row, ctx: CleanContext) {
  const db = ctx.db;
  const ip = parseIp(String(row.address))!;
  row._host = hostIndexKey(row.vrf, ip.family, ip.host);
  row._ip = hostKey(ip.family, ip.host);
  if (ip.length === 0) return { address: ["Cannot create IP address with /0 mask."] };
  if (typeof row.assigned_object_id === "number") {
    const bits = familyBits(ip.family);
    const isNetwork = ip.host === networkOf(ip);
    if (isNetwork && ((ip.family === 4 && ip.length < 31) || (ip.family === 6 && ip.length < bits - 1))) {
      return { __all__: [`${formatHost(ip.family, ip.host)} is a network ID, which may not be assigned to an interface.`] };
    }
    if (ip.family === 4 && ip.host === lastOf(ip) && ip.length < 31) {
      return { __all__: [`${formatHost(ip.family, ip.host)} is a broadcast address, which may not be assigned to an interface.`] };
    }
  }
  if (globallyUnique(row, db)) {
    const dupes = [...db.byValue("ipam.ipaddress", "_host", row._host)].filter((id) => id !== row.id).map((id) => db.get("ipam.ipaddress", id)!);
    const exempt = NON_UNIQUE_ROLES.has(String(row.role)) && dupes.every((d) => NON_UNIQUE_ROLES.has(String(d.role)));
    if (dupes.length && !exempt) {
      const first = dupes.sort((a, b) => a.id - b.id)[0]!;
      return { address: [`Duplicate IP address found in ${tableName(row, db)}: ${String(first.address)}`] };
    }
  }
  const before = ctx.before;
  if (before && typeof before.assigned_object_id === "number") {
    const originalParent = parentOf(db, before.assigned_object_type, before.assigned_object_id);
    const parent = parentOf(db, row.assigned_object_type, row.assigned_object_id);
    if (originalParent && parent !== originalParent) {
      const [ctype, id] = originalParent.split(":");
      const owner = db.get(ctype!, Number(id));
      if (owner && owner[`primary_ip${ip.family}`] === row.id) return { __all__: ["Cannot reassign IP address while it is designated as the primary IP for the parent object"] };
      if (owner && owner.oob_ip === row.id) return { __all__: ["Cannot reassign IP address while it is designated as the OOB IP for the parent object"] };
    }
  }
  if (row.status === "slaac" && ip.family !== 6) return { status: ["Only IPv6 addresses can be assigned SLAAC status"] };
  if (row.dns_name && !/^([0-9A-Za-z_-]+|\*)(\.[0-9A-Za-z_-]+)*\.?$/.test(String(row.dns_name))) {
    return { dns_name: ["Only alphanumeric characters, asterisks, hyphens, periods, and underscores are allowed in DNS names"] };
  }
  return null;
}

export const ipAddress: ModelDef = {
  ctype: "ipam.ipaddress",
  path: "ipam/ip-addresses",
  objectName: "IPAddress",
  verboseName: "IP address",
  fields: {
    ...f.head(),
    family: familyField("address"),
    address: f.ip(),
    vrf: f.fk("ipam.vrf", "protect"),
    tenant: f.fk("tenancy.tenant", "protect"),
    status: f.choice(statusChoices("active", "reserved", "deprecated", "dhcp", "slaac"), { default: "active" }),
    role: f.choice(
      [
        ["loopback", "Loopback"],
        ["secondary", "Secondary"],
        ["anycast", "Anycast"],
        ["vip", "VIP"],
        ["vrrp", "VRRP"],
        ["hsrp", "HSRP"],
        ["glbp", "GLBP"],
        ["carp", "CARP"],
      ],
      { nullable: true, blank: true, default: "" },
    ),
    assigned_object_type: f.ctype({ allowed: IP_TARGETS }),
    assigned_object_id: f.int({ min: 0 }),
    assigned_object: f.gfk("assigned_object_type", "assigned_object_id"),
    nat_inside: f.fk("ipam.ipaddress", "set_null", { renderWith: nestedIp }),
    nat_outside: f.computed((row, db, ctx) => [...db.referrers("ipam.ipaddress", "nat_inside", row.id)].map((id) => nestedIp(db.get("ipam.ipaddress", id)!, ctx))),
    dns_name: f.str(255),
    description: f.description(),
    ...f.primaryTail(),
  },
  brief: ["id", "url", "display", "family", "address", "description"],
  display: (row) => String(row.address),
  ordering: ["address", "id"],
  filters: {
    ...baseFilters(),
    address: {
      kind: "custom",
      type: "str",
      // `address=10.0.0.1` matches any mask; `address=10.0.0.1/24` only that one.
      match: (row, values) => {
        const ip = parseIp(String(row.address))!;
        return values.some((v) => {
          const want = parseIp(String(v));
          return want !== null && want.family === ip.family && want.host === ip.host && (!String(v).includes("/") || want.length === ip.length);
        });
      },
      candidates: (values, db) => {
        const ids = new Set<number>();
        for (const v of values) {
          const want = parseIp(String(v));
          if (want) for (const id of db.byValue("ipam.ipaddress", "_ip", hostKey(want.family, want.host))) ids.add(id);
        }
        return ids;
      },
    },
    dns_name: str("dns_name"),
    description: str("description"),
    status: choice("status"),
    role: choice("role"),
    vrf_id: fkId("vrf"),
    tenant_id: fkId("tenant"),
    tenant: fkSlug("tenant"),
    assigned_object_id: int("assigned_object_id"),
    interface_id: assignedTo("ipam.ipaddress", "dcim.interface"),
    vminterface_id: assignedTo("ipam.ipaddress", "virtualization.vminterface"),
    device_id: assignedVia("ipam.ipaddress", "dcim.interface", "device"),
    virtual_machine_id: assignedVia("ipam.ipaddress", "virtualization.vminterface", "virtual_machine"),
    family: { kind: "custom", type: "int", match: (row, values) => values.includes(parseIp(String(row.address))!.family) },
    parent: {
      kind: "custom",
      type: "str",
      match: (row, values) => {
        const ip = parseIp(String(row.address))!;
        return values.some((v) => {
          const p = parseIp(String(v));
          return p !== null && contains(p, ip);
        });
      },
    },
    assigned: { kind: "custom", type: "bool", match: (row, [want]) => (row.assigned_object_id !== null) === want },
  },
  search: ["address", "dns_name", "description", "comments"],
  hiddenIndexes: ["_host", "_ip"],
  orderedIndex: {
    group: (row) => ipGroup(row.vrf, String(row.address).includes(":") ? 6 : 4),
    value: (row) => parseIp(String(row.address))?.host ?? null,
  },
  genericFks: [{ typeField: "assigned_object_type", idField: "assigned_object_id", allowed: IP_TARGETS, required: false, onDelete: "cascade" }],
  clean: cleanIpAddress,
  beforeSave: (row) => {
    row.dns_name = String(row.dns_name ?? "").toLowerCase();
  },
  features: { tags: true, customFields: true, events: true },
};

export const ipamModels = [tenant, vrf, vlan, prefix, ipAddress];
