/** Writes: validation messages, related objects, bulk semantics, custom fields, tags, ETags, deletes (spec §5, §9). */
import { describe, expect, it } from "vitest";
import { createNetboxSim } from "./index";
import { call, del, get, patch, post, put, seedLab } from "./testing";

const VMS = "/api/virtualization/virtual-machines/";

describe("single writes", () => {
  it("creates with 201 and the full representation, and reports required, type and choice errors per field", async () => {
    const sim = createNetboxSim();
    const { cluster } = seedLab(sim, 0);
    const r = await post(sim, VMS, { name: "web", cluster: cluster.id, vcpus: 2, memory: "4096", status: "planned" });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: "web", memory: 4096, vcpus: 2, status: { value: "planned", label: "Planned" }, site: { id: 1, slug: "lab" }, custom_fields: {}, tags: [] });
    expect(r.headers.get("etag")).toBe(`W/"${r.body.last_updated.replace("Z", "+00:00")}"`);
    const bad = await post(sim, VMS, { cluster: cluster.id, memory: "lots", status: "sleeping", vcpus: 0 });
    expect([bad.status, bad.body]).toEqual([
      400,
      {
        name: ["This field is required."],
        status: ["sleeping is not a valid choice."],
        vcpus: ["Ensure this value is greater than or equal to 0.01."],
        memory: ["A valid integer is required."],
      },
    ]);
    const blank = await post(sim, "/api/dcim/sites/", { name: "", slug: "no spaces" });
    expect(blank.body).toEqual({ name: ["This field may not be blank."], slug: ["Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."] });
    const notDict = await post(sim, "/api/dcim/sites/", "site");
    expect(notDict.body).toEqual({ non_field_errors: ["Invalid data. Expected a dictionary, but got str."] });
  });

  it("resolves related objects by id or attribute dict, with NetBox's messages when that fails", async () => {
    const sim = createNetboxSim();
    seedLab(sim, 0);
    sim.create("virtualization/clusters", { name: "other", type: { slug: "proxmox" } });
    expect((await post(sim, VMS, { name: "a", cluster: { name: "pve" } })).body.cluster.name).toBe("pve");
    expect((await post(sim, VMS, { name: "b", cluster: "2" })).body.cluster.name).toBe("other");
    expect((await post(sim, VMS, { name: "c", cluster: 9 })).body).toEqual({ cluster: ["Related object not found using the provided numeric ID: 9"] });
    expect((await post(sim, VMS, { name: "c", cluster: { name: "nope" } })).body).toEqual({ cluster: ["Related object not found using the provided attributes: {'name': 'nope'}"] });
    expect((await post(sim, VMS, { name: "c", cluster: { type: { slug: "proxmox" } } })).body).toEqual({ cluster: ["Multiple objects match the provided attributes: {'type__slug': 'proxmox'}"] });
    expect((await post(sim, VMS, { name: "c", cluster: "pve" })).body).toEqual({
      cluster: ["Related objects must be referenced by numeric ID or by dictionary of attributes. Received an unrecognized value: pve"],
    });
    expect((await post(sim, VMS, { name: "c", tenant: 1 })).body).toEqual({ tenant: ["Related object not found using the provided numeric ID: 1"] });
  });

  it("runs the model's clean(): assignment rules, uniqueness per cluster (case-insensitive), primary IP ownership", async () => {
    const sim = createNetboxSim();
    const { cluster, machines, interfaces } = seedLab(sim, 1);
    expect((await post(sim, VMS, { name: "lonely" })).body).toEqual({ __all__: ["A virtual machine must be assigned to a site, cluster, or device."] });
    expect((await post(sim, VMS, { name: "VM1", cluster: cluster.id })).body).toEqual({ __all__: ["Virtual machine name must be unique per cluster."] });
    const ip = sim.create("ipam/ip-addresses", { address: "10.0.0.5/24" });
    expect((await patch(sim, `${VMS}${machines[0]!.id}/`, { primary_ip4: ip.id })).body).toEqual({ primary_ip4: ["The specified IP address (10.0.0.5/24) is not assigned to this VM."] });
    sim.update("ipam/ip-addresses", ip.id as number, { assigned_object_type: "virtualization.vminterface", assigned_object_id: interfaces[0]!.id });
    const ok = await patch(sim, `${VMS}${machines[0]!.id}/`, { primary_ip4: ip.id });
    expect(ok.body.primary_ip4).toMatchObject({ id: ip.id, address: "10.0.0.5/24", family: { value: 4, label: "IPv4" } });
    expect(ok.body.primary_ip).toMatchObject({ id: ip.id });
    const moved = await patch(sim, `/api/ipam/ip-addresses/${ip.id}/`, { assigned_object_type: null, assigned_object_id: null });
    expect(moved.body).toEqual({ __all__: ["Cannot reassign IP address while it is designated as the primary IP for the parent object"] });
  });

  it("replaces on PUT (required fields again) and merges on PATCH", async () => {
    const sim = createNetboxSim();
    const site = sim.create("dcim/sites", { name: "A", slug: "a", description: "first" });
    expect((await put(sim, `/api/dcim/sites/${site.id}/`, { description: "x" })).body).toEqual({ name: ["This field is required."], slug: ["This field is required."] });
    expect((await patch(sim, `/api/dcim/sites/${site.id}/`, { facility: "F1" })).body).toMatchObject({ description: "first", facility: "F1" });
    const replaced = await put(sim, `/api/dcim/sites/${site.id}/`, { name: "A", slug: "a" });
    expect(replaced.body).toMatchObject({ description: "first", facility: "F1" });
  });
});

describe("bulk writes", () => {
  it("creates a list all-or-nothing, reporting one dict per item in order", async () => {
    const sim = createNetboxSim();
    const { cluster } = seedLab(sim, 0);
    const r = await post(sim, VMS, [{ name: "a", cluster: cluster.id }, { cluster: cluster.id }, { name: "c", cluster: 42 }]);
    expect([r.status, r.body]).toEqual([400, [{}, { name: ["This field is required."] }, { cluster: ["Related object not found using the provided numeric ID: 42"] }]]);
    expect(sim.count("virtualization/virtual-machines")).toBe(0);
    const ok = await post(sim, VMS, [{ name: "a", cluster: cluster.id }, { name: "b", cluster: cluster.id }]);
    expect([ok.status, ok.body.map((v: { name: string }) => v.name)]).toEqual([201, ["a", "b"]]);
  });

  it("fails a batch whose items clash with each other in the database (500 IntegrityError) and rolls it back", async () => {
    const sim = createNetboxSim();
    const r = await post(sim, "/api/dcim/sites/", [
      { name: "X", slug: "x" },
      { name: "X", slug: "x2" },
    ]);
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ exception: "IntegrityError", error: expect.stringMatching(/^duplicate key value violates unique constraint/) });
    expect(sim.count("dcim/sites")).toBe(0);
  });

  it("updates a list of {id,…} (unknown ids skipped), stopping at the first invalid object with its errors and rolling back", async () => {
    const sim = createNetboxSim();
    const { machines } = seedLab(sim, 3);
    const ids = machines.map((m) => m.id as number);
    const ok = await patch(sim, VMS, [{ id: ids[2], memory: 1024 }, { id: 999, memory: 1 }, { id: ids[0], memory: 2048 }]);
    expect(ok.status).toBe(200);
    expect(ok.body.map((v: { id: number; memory: number }) => [v.id, v.memory])).toEqual([
      [ids[0], 2048],
      [ids[2], 1024],
    ]);
    const bad = await patch(sim, VMS, [{ id: ids[0], memory: 1 }, { id: ids[1], status: "nope" }]);
    expect([bad.status, bad.body]).toEqual([400, { status: ["nope is not a valid choice."] }]);
    expect(sim.get("virtualization/virtual-machines", ids[0]!)!.memory).toBe(2048);
    const noIds = await patch(sim, VMS, [{ memory: 1 }, { id: "x" }, "y"]);
    expect(noIds.body).toEqual([{ id: ["This field is required."] }, { id: ["A valid integer is required."] }, { non_field_errors: ["Invalid data. Expected a dictionary, but got str."] }]);
    expect((await patch(sim, VMS, { id: ids[0] })).body).toEqual({ non_field_errors: ['Expected a list of items but got type "dict".'] });
  });

  it("deletes a list of {id} with 204, cascading to interfaces and their IPs", async () => {
    const sim = createNetboxSim();
    const { machines, interfaces } = seedLab(sim, 3);
    sim.create("ipam/ip-addresses", { address: "10.0.0.1/24", assigned_object_type: "virtualization.vminterface", assigned_object_id: interfaces[0]!.id });
    const r = await del(sim, VMS, [{ id: machines[0]!.id }, { id: machines[1]!.id }, { id: 999 }]);
    expect(r.status).toBe(204);
    expect([sim.count("virtualization/virtual-machines"), sim.count("virtualization/interfaces"), sim.count("ipam/ip-addresses")]).toEqual([1, 1, 0]);
  });
});

describe("delete protection", () => {
  it("answers 409 with NetBox's message when dependants protect an object, and deletes nothing", async () => {
    const sim = createNetboxSim();
    const { cluster } = seedLab(sim, 2);
    const r = await del(sim, `/api/virtualization/clusters/${cluster.id}/`);
    expect([r.status, r.body]).toEqual([409, { detail: "Unable to delete object. 2 dependent objects were found: vm1 (1), vm2 (2)" }]);
    const bulk = await del(sim, "/api/virtualization/cluster-types/", [{ id: 1 }]);
    expect(bulk.body).toEqual({ detail: "Unable to delete object. 1 dependent objects were found: pve (1)" });
    expect(sim.count("virtualization/clusters")).toBe(1);
    expect((await del(sim, "/api/virtualization/clusters/77/")).body).toEqual({ detail: "No Cluster matches the given query." });
  });

  it("rolls back a bulk delete whose later object is protected, cascades of earlier objects included", async () => {
    const sim = createNetboxSim();
    // Bulk deletes go in the model's order (by name): "Alpha" and its prefix go first, then "Zulu" is protected.
    const free = sim.create("dcim/sites", { name: "Alpha", slug: "alpha" });
    sim.create("ipam/prefixes", { prefix: "10.5.0.0/24", scope_type: "dcim.site", scope_id: free.id });
    const busy = sim.create("dcim/sites", { name: "Zulu", slug: "zulu" });
    sim.create("virtualization/virtual-machines", { name: "pinned", site: busy.id });
    const r = await del(sim, "/api/dcim/sites/", [{ id: free.id }, { id: busy.id }]);
    expect([r.status, r.body]).toEqual([409, { detail: "Unable to delete object. 1 dependent objects were found: pinned (1)" }]);
    expect([sim.count("dcim/sites"), sim.count("ipam/prefixes")]).toEqual([2, 1]);
    expect((await get(sim, "/api/ipam/prefixes/?site_id=1")).body.count).toBe(1);
    expect((await del(sim, `/api/dcim/sites/${free.id}/`)).status).toBe(204);
    expect(sim.count("ipam/prefixes")).toBe(0);
  });
});

describe("custom fields and tags", () => {
  function withFields() {
    const sim = createNetboxSim();
    const lab = seedLab(sim, 1);
    sim.create("extras/custom-fields", { name: "proxmox_vm_id", type: "integer", object_types: ["virtualization.virtualmachine"], validation_minimum: 100 });
    sim.create("extras/custom-fields", { name: "owner_team", type: "text", object_types: ["virtualization.virtualmachine"], default: "infra" });
    return { sim, vm: `${VMS}${lab.machines[0]!.id}/` };
  }

  it("merges custom_fields on PATCH, rejects unknown names and invalid values with NetBox's messages", async () => {
    const { sim, vm } = withFields();
    // The VM predates the fields: saving fills in the default of every field it lacks (CustomFieldsMixin.save).
    expect((await patch(sim, vm, { custom_fields: { proxmox_vm_id: 101 } })).body.custom_fields).toEqual({ proxmox_vm_id: 101, owner_team: "infra" });
    expect((await patch(sim, vm, { custom_fields: { owner_team: "net" } })).body.custom_fields).toEqual({ proxmox_vm_id: 101, owner_team: "net" });
    expect((await patch(sim, vm, { custom_fields: { nope: 1 } })).body).toEqual({ custom_fields: { nope: "Custom field 'nope' does not exist for this object type." } });
    expect((await patch(sim, vm, { custom_fields: { proxmox_vm_id: "x" } })).body).toEqual({ __all__: ["Invalid value for custom field 'proxmox_vm_id': Value must be an integer."] });
    expect((await patch(sim, vm, { custom_fields: { proxmox_vm_id: 5 } })).body).toEqual({ __all__: ["Invalid value for custom field 'proxmox_vm_id': Value must be at least 100"] });
    expect((await patch(sim, vm, { custom_fields: [] })).body).toEqual({
      custom_fields: ["Invalid data format. Custom field data must be passed as a dictionary mapping field names to their values."],
    });
    const created = await post(sim, VMS, { name: "new", cluster: 1 });
    expect(created.body.custom_fields).toEqual({ proxmox_vm_id: null, owner_team: "infra" });
  });

  it("replaces the tag set with tags=[…], and adds/removes with add_tags/remove_tags on 4.6 with NetBox's rules", async () => {
    const { sim, vm } = withFields();
    sim.create("extras/tags", { name: "Proxbox", slug: "proxbox", color: "ff5722" });
    sim.create("extras/tags", { name: "prod", slug: "prod" });
    sim.create("extras/tags", { name: "Devices only", slug: "dev-only", object_types: ["dcim.device"] });
    const tagged = await patch(sim, vm, { tags: [{ name: "Proxbox" }, 2] });
    // Ordered by weight, then name in the database's (case-insensitive) collation.
    expect(tagged.body.tags).toEqual([
      { id: 2, url: "http://netbox.lab/api/extras/tags/2/", display_url: "http://netbox.lab/extras/tags/2/", display: "prod", name: "prod", slug: "prod", color: "9e9e9e" },
      { id: 1, url: "http://netbox.lab/api/extras/tags/1/", display_url: "http://netbox.lab/extras/tags/1/", display: "Proxbox", name: "Proxbox", slug: "proxbox", color: "ff5722" },
    ]);
    expect((await patch(sim, vm, { tags: [{ slug: "prod" }] })).body.tags.map((t: { slug: string }) => t.slug)).toEqual(["prod"]);
    expect((await patch(sim, vm, { add_tags: [{ slug: "proxbox" }] })).body.tags.map((t: { slug: string }) => t.slug)).toEqual(["prod", "proxbox"]);
    expect((await patch(sim, vm, { remove_tags: [{ slug: "prod" }] })).body.tags.map((t: { slug: string }) => t.slug)).toEqual(["proxbox"]);
    expect((await patch(sim, vm, { tags: [1], add_tags: [2] })).body).toEqual({ tags: ['Cannot specify "tags" together with "add_tags" or "remove_tags".'] });
    expect((await patch(sim, vm, { add_tags: [2], remove_tags: [2] })).body).toEqual({ remove_tags: ['Tags may not be present in both "add_tags" and "remove_tags": prod'] });
    expect((await post(sim, VMS, { name: "x", cluster: 1, remove_tags: [1] })).body).toEqual({ remove_tags: ['Cannot use "remove_tags" when creating a new object.'] });
    expect((await patch(sim, vm, { tags: [{ name: "missing" }] })).body).toEqual({ tags: ["Related object not found using the provided attributes: {'name': 'missing'}"] });
    expect((await patch(sim, vm, { tags: [3] })).body).toEqual({ detail: "Tag Devices only cannot be assigned to virtualmachine objects." });
    expect((await get(sim, "/api/extras/tags/1/")).body.tagged_items).toBe(1);
  });

  it("treats add_tags as an unknown key before 4.6", async () => {
    const sim = createNetboxSim({ version: "4.5" });
    const { machines } = seedLab(sim, 1);
    sim.create("extras/tags", { name: "x", slug: "x" });
    expect((await patch(sim, `${VMS}${machines[0]!.id}/`, { add_tags: [1] })).body.tags).toEqual([]);
  });
});

describe("ETag and If-Match (4.6)", () => {
  it("accepts the current ETag or *, and answers 412 with the current ETag otherwise", async () => {
    const sim = createNetboxSim();
    const site = sim.create("dcim/sites", { name: "A", slug: "a" });
    const path = `/api/dcim/sites/${site.id}/`;
    const etag = (await get(sim, path)).headers.get("etag")!;
    const first = await patch(sim, path, { description: "one" }, { headers: { "If-Match": etag } });
    expect(first.status).toBe(200);
    const newer = first.headers.get("etag")!;
    expect(newer).not.toBe(etag);
    const stale = await patch(sim, path, { description: "two" }, { headers: { "If-Match": etag } });
    expect([stale.status, stale.body, stale.headers.get("etag")]).toEqual([412, { detail: "Precondition failed." }, newer]);
    expect((await patch(sim, path, { description: "three" }, { headers: { "If-Match": "*" } })).status).toBe(200);
    expect((await del(sim, path, undefined, { headers: { "If-Match": etag } })).status).toBe(412);
    expect(sim.count("dcim/sites")).toBe(1);
  });

  it("ignores If-Match before 4.6", async () => {
    const sim = createNetboxSim({ version: "4.5" });
    const site = sim.create("dcim/sites", { name: "A", slug: "a" });
    expect((await patch(sim, `/api/dcim/sites/${site.id}/`, { description: "x" }, { headers: { "If-Match": 'W/"old"' } })).status).toBe(200);
  });
});

describe("IPAM and interface rules", () => {
  it("enforces unique addresses in the global table and per enforcing VRF", async () => {
    const sim = createNetboxSim();
    sim.create("ipam/ip-addresses", { address: "10.1.1.1/24" });
    expect((await post(sim, "/api/ipam/ip-addresses/", { address: "10.1.1.1/16" })).body).toEqual({ address: ["Duplicate IP address found in global table: 10.1.1.1/24"] });
    const vrf = sim.create("ipam/vrfs", { name: "blue", enforce_unique: false });
    expect((await post(sim, "/api/ipam/ip-addresses/", [{ address: "10.1.1.1/24", vrf: vrf.id }, { address: "10.1.1.1/24", vrf: vrf.id }])).status).toBe(201);
    expect((await post(sim, "/api/ipam/ip-addresses/", { address: "10.1.1.300/24" })).body).toEqual({ address: ["Invalid IP address format: 10.1.1.300/24"] });
    expect((await post(sim, "/api/ipam/prefixes/", { prefix: "10.2.0.5/16" })).body).toEqual({ prefix: ["10.2.0.5/16 is not a valid prefix. Did you mean 10.2.0.0/16?"] });
  });

  it("keeps MAC addresses and primary MACs consistent", async () => {
    const sim = createNetboxSim();
    const { interfaces } = seedLab(sim, 2);
    const mac = await post(sim, "/api/dcim/mac-addresses/", { mac_address: "bc-24-11-aa-bb-cc", assigned_object_type: "virtualization.vminterface", assigned_object_id: interfaces[0]!.id });
    expect(mac.body.mac_address).toBe("BC:24:11:AA:BB:CC");
    expect((await patch(sim, `/api/virtualization/interfaces/${interfaces[1]!.id}/`, { primary_mac_address: mac.body.id })).body).toEqual({
      primary_mac_address: ["MAC address BC:24:11:AA:BB:CC is assigned to a different interface (net0)."],
    });
    const iface = await patch(sim, `/api/virtualization/interfaces/${interfaces[0]!.id}/`, { primary_mac_address: mac.body.id });
    expect(iface.body.mac_address).toBe("BC:24:11:AA:BB:CC");
    expect(iface.body.mac_addresses).toHaveLength(1);
    expect((await patch(sim, `/api/dcim/mac-addresses/${mac.body.id}/`, { assigned_object_id: interfaces[1]!.id })).body).toEqual({
      __all__: ["Cannot reassign MAC Address while it is designated as the primary MAC for an object"],
    });
    expect((await post(sim, "/api/dcim/mac-addresses/", { mac_address: "zz:00:00:00:00:00" })).body).toEqual({ mac_address: ["Invalid MAC address format: zz:00:00:00:00:00"] });
    expect((await post(sim, "/api/dcim/mac-addresses/", { mac_address: "02:00:00:00:00:01", assigned_object_type: "virtualization.vminterface", assigned_object_id: 99 })).body).toEqual({
      assigned_object_id: ["Related object not found using the provided value: 99."],
    });
  });

  it("sums virtual disks into the VM's disk and rejects a disk that disagrees", async () => {
    const sim = createNetboxSim();
    const { machines } = seedLab(sim, 1);
    const vm = machines[0]!.id as number;
    await post(sim, "/api/virtualization/virtual-disks/", [{ virtual_machine: vm, name: "scsi0", size: 32768 }, { virtual_machine: vm, name: "scsi1", size: 1024 }]);
    expect(sim.get("virtualization/virtual-machines", vm)!.disk).toBe(33792);
    expect((await patch(sim, `${VMS}${vm}/`, { disk: 5 })).body).toEqual({ disk: ["The specified disk size (5) must match the aggregate size of assigned virtual disks (33792)."] });
    expect((await post(sim, "/api/virtualization/virtual-disks/", { virtual_machine: vm, name: "scsi0", size: 1 })).body).toEqual({
      __all__: ["Virtual disk with this Virtual machine and Name already exists."],
    });
    await del(sim, "/api/virtualization/virtual-disks/", [{ id: 1 }, { id: 2 }]);
    expect(sim.get("virtualization/virtual-machines", vm)!.disk).toBeNull();
  });

  it("rejects an unknown content type and half a generic FK", async () => {
    const sim = createNetboxSim();
    expect((await post(sim, "/api/ipam/ip-addresses/", { address: "10.0.0.1/24", assigned_object_type: "dcim.site", assigned_object_id: 1 })).body).toEqual({
      assigned_object_type: ["Invalid content type: dcim.site"],
    });
    expect((await post(sim, "/api/ipam/ip-addresses/", { address: "10.0.0.1/24", assigned_object_id: 1 })).body).toEqual({ assigned_object_type: ["This field cannot be null."] });
    expect((await call(sim, "POST", "/api/ipam/ip-addresses/", { json: { address: "10.0.0.1/24", assigned_object_type: "vminterface" } })).body).toEqual({
      assigned_object_type: ["Invalid value. Specify a content type as '<app_label>.<model_name>'."],
    });
  });
});
