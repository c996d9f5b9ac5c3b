/**
 * The NetBox simulator against NetBox's own OpenAPI document (4.2.2, go-netbox's `api/openapi.yaml`): every model
 * it serves has its list and detail paths and methods in the document; every filter it accepts is a declared query
 * parameter of the list operation; a representative request body per model is valid against the `Writable…Request`
 * schema and is accepted by the simulator; and real responses (list page, detail, create) carry every property the
 * document marks required, with matching primitive types, nullability and enum values. Where NetBox ≥ 4.5 differs
 * (`netbox-api.md` wins), the difference is allowlisted below with its reason.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { filterParams } from "../sim/netbox/engine/query";
import type { ModelDef } from "../sim/netbox/engine/types";
import { createNetboxSim, type NetboxSim } from "../sim/netbox";
import { modelsFor } from "../sim/netbox/models";

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  nullable?: boolean;
  readOnly?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
}
interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
type PathItem = Record<string, Operation>;
interface OpenApi {
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, Schema> };
}

const fixture = path.resolve(import.meta.dirname, "../../../shared/fixtures/netbox-openapi-4.2.2.yaml");
let doc: OpenApi;

/** Models NetBox 4.2 does not have. */
const NEWER_MODELS: Record<string, string> = { "virtualization/virtual-machine-types": "added in NetBox 4.6 (spec §1)" };

/** Query parameters the simulator handles outside filtersets, missing from the 4.2.2 document. */
const GENERIC_PARAMS: Record<string, string> = {
  brief: "brief mode is a view feature drf-spectacular does not list (spec §3)",
  fields: "dynamic field selection (spec §3)",
  omit: "added in NetBox 4.5.2 (spec §3)",
  start: "cursor pagination, added in NetBox 4.6 (spec §3)",
  exclude: "`exclude=config_context` is a view feature (spec §3)",
};

/** Enum values NetBox gained after 4.2.2, per `schema#property`. */
const NEWER_ENUM_VALUES: Record<string, { values: unknown[]; reason: string }> = {
  "status.value": { values: ["paused"], reason: "VM status `paused` was added after 4.2 (4.6 choices)" },
  "status.label": { values: ["Paused"], reason: "label of the `paused` VM status" },
};

/** Properties the 4.2.2 document marks non-nullable that NetBox renders as null. */
const NULL_ALLOWED: Record<string, string> = {
  "Interface.mode": "ChoiceField renders a blank choice as null (netbox/api/fields.py), the document does not say so",
  "VMInterface.mode": "same: a blank 802.1Q mode is null",
  "DeviceWithConfigContext.face": "same: a blank rack face is null",
  "DeviceWithConfigContext.airflow": "same: a blank airflow is null",
  "IPAddress.role": "same: a blank IP role is null",
  "VLAN.qinq_role": "same: a blank Q-in-Q role is null",
};

function deref(schema: Schema): Schema {
  if (schema.$ref) return deref(doc.components.schemas[schema.$ref.split("/").pop()!]!);
  if (schema.allOf && schema.allOf.length === 1) return { ...deref(schema.allOf[0]!), nullable: schema.nullable ?? deref(schema.allOf[0]!).nullable, readOnly: schema.readOnly };
  return schema;
}

const schemaName = (schema: Schema): string | undefined => (schema.$ref ?? schema.allOf?.[0]?.$ref)?.split("/").pop();

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (Number.isInteger(value)) return "integer";
  return typeof value;
}

/** Checks a response value against a schema: required properties, primitive types, nullability, enums. */
function checkResponse(value: unknown, schema: Schema, where: string, errors: string[], depth = 0): void {
  const s = deref(schema);
  const name = schemaName(schema);
  if (value === null) {
    if (!s.nullable && !NULL_ALLOWED[where.split("/").slice(-1)[0]!]) errors.push(`${where}: null but not nullable`);
    return;
  }
  const actual = typeOf(value);
  const ok = !s.type || s.type === actual || (s.type === "number" && actual === "integer");
  if (!ok) {
    errors.push(`${where}: ${actual} where the document says ${s.type}`);
    return;
  }
  if (s.enum && !s.enum.includes(value)) {
    const key = where.split(".").slice(-2).join(".");
    const allowed = NEWER_ENUM_VALUES[key]?.values ?? [];
    if (!allowed.includes(value)) errors.push(`${where}: ${JSON.stringify(value)} is not in the document's enum`);
  }
  if (depth > 6) return;
  if (actual === "array" && s.items) (value as unknown[]).forEach((item, i) => checkResponse(item, s.items!, `${where}[${i}]`, errors, depth + 1));
  if (actual === "object" && s.properties) {
    const obj = value as Record<string, unknown>;
    const label = name ?? where;
    for (const required of s.required ?? []) if (!(required in obj)) errors.push(`${where} (${label}): required property ${required} is missing`);
    for (const [prop, sub] of Object.entries(s.properties)) {
      if (prop in obj) checkResponse(obj[prop], sub, `${label}.${prop}`.replace(/^.*\//, ""), errors, depth + 1);
    }
  }
}

/** Checks a request body against a `Writable…Request` schema: required fields, known names, primitive types. */
function checkRequest(body: Record<string, unknown>, schema: Schema, where: string, errors: string[]): void {
  const s = deref(schema);
  for (const required of s.required ?? []) if (!(required in body)) errors.push(`${where}: required field ${required} is missing`);
  for (const [key, value] of Object.entries(body)) {
    const prop = s.properties?.[key];
    if (!prop) {
      errors.push(`${where}: ${key} is not a property of ${schemaName(schema) ?? "the request"}`);
      continue;
    }
    checkRequestValue(value, prop, `${where}.${key}`, errors);
  }
}

function checkRequestValue(value: unknown, schema: Schema, where: string, errors: string[]): void {
  const s = deref(schema);
  if (value === null) {
    if (!s.nullable) errors.push(`${where}: null but not nullable`);
    return;
  }
  const actual = typeOf(value);
  // A related object (Brief…/Nested…Request) may also be given by its numeric id (spec §5).
  const related = (schemaName(schema) ?? "").match(/^(Brief|Nested).*Request$/) !== null;
  if (related && actual === "integer") return;
  if (s.type && s.type !== actual && !(s.type === "number" && actual === "integer")) {
    errors.push(`${where}: ${actual} where the document says ${s.type}`);
    return;
  }
  if (s.enum && !s.enum.includes(value)) errors.push(`${where}: ${JSON.stringify(value)} is not in the document's enum`);
  if (actual === "array" && s.items) (value as unknown[]).forEach((item, i) => checkRequestValue(item, s.items!, `${where}[${i}]`, errors));
  if (actual === "object" && s.properties) {
    // Related-object dicts identify an object by any of its attributes: only the names are checked.
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (!s.properties[k]) errors.push(`${where}: ${k} is not a property of ${schemaName(schema) ?? "the object"}`);
      else checkRequestValue(v, s.properties[k]!, `${where}.${k}`, errors);
    }
  }
}

const jsonSchema = (op: Operation | undefined, status: string): Schema | undefined => op?.responses[status]?.content?.["application/json"]?.schema;

/** Objects the representative bodies refer to. */
function prerequisites(sim: NetboxSim) {
  const site = sim.create("dcim/sites", { name: "Site A", slug: "site-a" });
  const manufacturer = sim.create("dcim/manufacturers", { name: "Proxmox", slug: "proxmox" });
  const deviceType = sim.create("dcim/device-types", { manufacturer: manufacturer.id, model: "Generic", slug: "generic" });
  const role = sim.create("dcim/device-roles", { name: "Node", slug: "node", vm_role: true });
  const device = sim.create("dcim/devices", { name: "pve1", device_type: deviceType.id, role: role.id, site: site.id });
  const iface = sim.create("dcim/interfaces", { device: device.id, name: "vmbr0", type: "bridge" });
  const clusterType = sim.create("virtualization/cluster-types", { name: "Cluster", slug: "cluster" });
  const cluster = sim.create("virtualization/clusters", { name: "pve", type: clusterType.id, scope_type: "dcim.site", scope_id: site.id });
  const vm = sim.create("virtualization/virtual-machines", { name: "vm-a", cluster: cluster.id });
  const vmInterface = sim.create("virtualization/interfaces", { name: "net0", virtual_machine: vm.id });
  const vrf = sim.create("ipam/vrfs", { name: "blue", rd: "65000:1" });
  const tenant = sim.create("tenancy/tenants", { name: "Ops", slug: "ops" });
  sim.create("extras/tags", { name: "Proxbox", slug: "proxbox", color: "ff5722" });
  const webhook = sim.create("extras/webhooks", { name: "outpost", payload_url: "https://outpost.example/hook" });
  const platform = sim.create("dcim/platforms", { name: "Debian", slug: "debian" });
  const inside = sim.create("ipam/ip-addresses", { address: "192.168.10.5/24" });
  return { site, manufacturer, deviceType, role, device, iface, clusterType, cluster, vm, vmInterface, vrf, tenant, webhook, platform, inside };
}

const TAGS = [{ name: "Proxbox", slug: "proxbox" }];

/** One realistic create body per model, in NetBox's wire form (FKs by id or by attribute dict). */
function bodies(p: ReturnType<typeof prerequisites>): Record<string, Record<string, unknown>> {
  return {
    "extras/tags": { name: "managed-by-outpost", slug: "managed-by-outpost", color: "9e9e9e", description: "Objects Outpost owns", object_types: ["virtualization.virtualmachine"] },
    "extras/custom-fields": { name: "proxmox_vm_id", label: "Proxmox VMID", type: "integer", object_types: ["virtualization.virtualmachine"], required: false, filter_logic: "exact", ui_editable: "no", validation_minimum: 100 },
    "extras/webhooks": { name: "sync", payload_url: "https://outpost.example/netbox", http_method: "POST", http_content_type: "application/json", additional_headers: "X-Source: netbox", body_template: "", secret: "s3cret", ssl_verification: true, tags: TAGS },
    "extras/event-rules": { name: "vm-changes", object_types: ["virtualization.virtualmachine"], event_types: ["object_created", "object_updated", "object_deleted"], enabled: true, action_type: "webhook", action_object_type: "extras.webhook", action_object_id: p.webhook.id, conditions: null },
    "extras/journal-entries": { assigned_object_type: "virtualization.virtualmachine", assigned_object_id: p.vm.id, kind: "info", comments: "Synced from Proxmox", tags: TAGS },
    "dcim/sites": { name: "Proxmox Default Site - pve", slug: "proxmox-default-site-pve", status: "active", tenant: p.tenant.id, time_zone: "Europe/Berlin", description: "", tags: TAGS, custom_fields: {} },
    "dcim/manufacturers": { name: "Dell", slug: "dell", description: "", tags: TAGS },
    "dcim/device-types": { manufacturer: { slug: "proxmox" }, model: "Proxmox Generic Device", slug: "proxmox-generic-device", u_height: 1, is_full_depth: false, tags: TAGS },
    "dcim/device-roles": { name: "Proxmox Node", slug: "proxmox-node", color: "ff5722", vm_role: false, tags: TAGS },
    "dcim/platforms": { name: "Ubuntu", slug: "ubuntu", manufacturer: p.manufacturer.id, description: "", tags: TAGS },
    "dcim/devices": { name: "pve2", device_type: p.deviceType.id, role: { slug: "node" }, site: p.site.id, status: "active", cluster: p.cluster.id, serial: "ABC123", description: "Proxmox Node pve2", tags: TAGS },
    "dcim/interfaces": { device: p.device.id, name: "eno1", type: "1000base-t", enabled: true, mtu: 1500, mgmt_only: false, description: "", mode: "access", tags: TAGS },
    "dcim/mac-addresses": { mac_address: "BC:24:11:00:00:01", assigned_object_type: "virtualization.vminterface", assigned_object_id: p.vmInterface.id, description: "", tags: TAGS },
    "virtualization/cluster-types": { name: "Standalone", slug: "standalone", description: "", tags: TAGS },
    "virtualization/cluster-groups": { name: "Lab", slug: "lab", description: "", tags: TAGS },
    "virtualization/clusters": { name: "pve-b", type: { slug: "cluster" }, status: "active", tenant: p.tenant.id, scope_type: "dcim.site", scope_id: p.site.id, description: "", tags: TAGS },
    "virtualization/virtual-machine-types": { name: "QEMU Virtual Machine", slug: "qemu-virtual-machine" },
    "virtualization/virtual-machines": { name: "web-01", status: "active", cluster: p.cluster.id, role: p.role.id, platform: p.platform.id, vcpus: 2, memory: 4096, serial: "", description: "", tags: TAGS, custom_fields: {}, local_context_data: { proxmox: { vmid: 101 } } },
    "virtualization/interfaces": { virtual_machine: p.vm.id, name: "net1", enabled: true, mtu: 1500, description: "virtio", mode: "access", tags: TAGS },
    "virtualization/virtual-disks": { virtual_machine: p.vm.id, name: "scsi0", size: 32768, description: "local-lvm:vm-101-disk-0", tags: TAGS },
    "tenancy/tenants": { name: "Customers", slug: "customers", description: "", tags: TAGS },
    "ipam/vrfs": { name: "red", rd: "65000:2", enforce_unique: true, description: "", tags: TAGS },
    "ipam/vlans": { site: p.site.id, vid: 100, name: "servers", status: "active", tenant: p.tenant.id, description: "", tags: TAGS },
    "ipam/prefixes": { prefix: "10.10.0.0/24", status: "active", scope_type: "dcim.site", scope_id: p.site.id, is_pool: false, description: "", tags: TAGS },
    "ipam/ip-addresses": { address: "10.10.0.10/24", status: "active", assigned_object_type: "virtualization.vminterface", assigned_object_id: p.vmInterface.id, dns_name: "web-01.lab", nat_inside: p.inside.id, description: "", tags: TAGS },
  };
}

describe("NetBox simulator vs the NetBox 4.2.2 OpenAPI document", () => {
  const models: ModelDef[] = modelsFor("4.6", false);

  beforeAll(() => {
    doc = YAML.parse(fs.readFileSync(fixture, "utf8")) as OpenApi;
  }, 60_000);

  it("has the list and detail paths and methods of every model it serves, available-ips and status", () => {
    const missing: string[] = [];
    for (const m of models) {
      if (NEWER_MODELS[m.path]) {
        expect(doc.paths[`/api/${m.path}/`]).toBeUndefined();
        continue;
      }
      const list = doc.paths[`/api/${m.path}/`];
      const detail = doc.paths[`/api/${m.path}/{id}/`];
      for (const method of ["get", "post", "put", "patch", "delete"]) if (!list?.[method]) missing.push(`${method.toUpperCase()} /api/${m.path}/`);
      for (const method of ["get", "put", "patch", "delete"]) if (!detail?.[method]) missing.push(`${method.toUpperCase()} /api/${m.path}/{id}/`);
    }
    if (!doc.paths["/api/ipam/prefixes/{id}/available-ips/"]?.get || !doc.paths["/api/ipam/prefixes/{id}/available-ips/"]?.post) missing.push("available-ips");
    if (!doc.paths["/api/status/"]?.get) missing.push("status");
    expect(missing).toEqual([]);
  });

  it("accepts only filters the list operations declare (plus allowlisted view parameters)", () => {
    const undeclared: string[] = [];
    for (const m of models) {
      if (NEWER_MODELS[m.path]) continue;
      const declared = new Set((doc.paths[`/api/${m.path}/`]!.get!.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name));
      for (const base of ["limit", "offset", "ordering", "q"]) if (!declared.has(base)) undeclared.push(`${m.path}?${base}`);
      for (const [name, def] of Object.entries(m.filters)) for (const param of filterParams(name, def)) if (!declared.has(param)) undeclared.push(`${m.path}?${param}`);
      for (const param of Object.keys(GENERIC_PARAMS)) expect(declared.has(param), `${param} is now declared for ${m.path}`).toBe(false);
    }
    expect(undeclared).toEqual([]);
  });

  it("takes a representative request body per model that the Writable…Request schema validates", () => {
    const sim = createNetboxSim();
    const all = bodies(prerequisites(sim));
    expect(Object.keys(all).sort()).toEqual(models.map((m) => m.path).sort());
    const errors: string[] = [];
    for (const m of models) {
      if (NEWER_MODELS[m.path]) continue;
      const schema = doc.paths[`/api/${m.path}/`]!.post!.requestBody!.content["application/json"]!.schema;
      checkRequest(all[m.path]!, schema, m.path, errors);
    }
    expect(errors).toEqual([]);
  });

  it("declares the choices (values and labels) the document lists for each choice field", () => {
    const wrong: string[] = [];
    for (const m of models) {
      if (NEWER_MODELS[m.path]) continue;
      const schema = deref(jsonSchema(doc.paths[`/api/${m.path}/{id}/`]!.get, "200")!);
      for (const [name, def] of Object.entries(m.fields)) {
        // Fields added after 4.2 (`since`) are not in this document.
        if (def.kind !== "choice" || def.since) continue;
        const prop = schema.properties?.[name];
        const values = prop ? deref(prop).properties?.value?.enum : undefined;
        const labels = prop ? deref(prop).properties?.label?.enum : undefined;
        if (!values || !labels) {
          wrong.push(`${m.path}.${name}: not a choice field in the document`);
          continue;
        }
        for (const [value, label] of def.choices) {
          if (!values.includes(value) && !NEWER_ENUM_VALUES["status.value"]!.values.includes(value)) wrong.push(`${m.path}.${name}: value ${String(value)}`);
          if (!labels.includes(label) && !NEWER_ENUM_VALUES["status.label"]!.values.includes(label)) wrong.push(`${m.path}.${name}: label ${label}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(["4.2", "4.6"] as const)("answers (as %s) with every required property, primitive type, nullability and enum value the document gives", async (version) => {
    const sim = createNetboxSim({ version });
    const all = bodies(prerequisites(sim));
    const errors: string[] = [];
    const request = async (method: string, url: string, body?: unknown) => {
      const res = await sim.fetch(new Request(`http://netbox.lab${url}`, { method, headers: { authorization: sim.authHeader(), "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }));
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    for (const m of modelsFor(version, false)) {
      const created = await request("POST", `/api/${m.path}/`, all[m.path]);
      expect([m.path, created.status], JSON.stringify(created.body)).toEqual([m.path, 201]);
      if (NEWER_MODELS[m.path]) continue;
      const item = doc.paths[`/api/${m.path}/`]!;
      const detail = doc.paths[`/api/${m.path}/{id}/`]!;
      checkResponse(created.body, jsonSchema(item.post, "201")!, `POST ${m.path}`, errors);
      const one = await request("GET", `/api/${m.path}/${created.body.id as number}/`);
      checkResponse(one.body, jsonSchema(detail.get, "200")!, `GET ${m.path}/{id}`, errors);
      const page = await request("GET", `/api/${m.path}/?limit=3`);
      checkResponse(page.body, jsonSchema(item.get, "200")!, `GET ${m.path}`, errors);
      expect((page.body.results as unknown[]).length, m.path).toBeGreaterThan(0);
    }
    const prefix = await request("POST", "/api/ipam/prefixes/", { prefix: "172.16.0.0/28", vrf: null });
    const avail = doc.paths["/api/ipam/prefixes/{id}/available-ips/"]!;
    const free = await request("GET", `/api/ipam/prefixes/${prefix.body.id as number}/available-ips/`);
    checkResponse(free.body, jsonSchema(avail.get, "200")!, "GET available-ips", errors);
    const allocated = await request("POST", `/api/ipam/prefixes/${prefix.body.id as number}/available-ips/`, [{ description: "x" }]);
    checkResponse(allocated.body, jsonSchema(avail.post, "201")!, "POST available-ips", errors);
    expect(errors).toEqual([]);
  });

  it("checks what it claims to: a broken response or body is reported", () => {
    const errors: string[] = [];
    const vmSchema: Schema = { $ref: "#/components/schemas/VirtualMachineWithConfigContext" };
    checkResponse({ id: "1", url: "x", display: "x", name: null, virtual_disk_count: 0, status: { value: "sleeping", label: "Sleeping" } }, vmSchema, "vm", errors);
    checkRequest({ name: 5, memory: "big", nonsense: true }, { $ref: "#/components/schemas/WritableVirtualMachineWithConfigContextRequest" }, "vm", errors);
    expect(errors).toEqual([
      "VirtualMachineWithConfigContext.id: string where the document says integer",
      "VirtualMachineWithConfigContext.name: null but not nullable",
      'VirtualMachineWithConfigContext.status.value: "sleeping" is not in the document\'s enum',
      'VirtualMachineWithConfigContext.status.label: "Sleeping" is not in the document\'s enum',
      "vm.name: integer where the document says string",
      "vm.memory: string where the document says integer",
      "vm: nonsense is not a property of WritableVirtualMachineWithConfigContextRequest",
    ]);
  });
});
