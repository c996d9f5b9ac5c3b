/** Listing: offset and cursor pagination, brief/fields/omit, filters and their errors, ordering (spec §3, §4). */
import { describe, expect, it } from "vitest";
import { createNetboxSim, type NetboxVersion } from "./index";
import { get, seedLab } from "./testing";

function lab(version: NetboxVersion = "4.6", vms = 7) {
  const sim = createNetboxSim({ version, maxPageSize: 5 });
  const seeded = seedLab(sim, vms);
  return { sim, ...seeded };
}

describe("offset pagination", () => {
  it("pages with count, absolute next/previous links (parameters sorted, as DRF rebuilds them) and caps limit", async () => {
    const { sim, cluster } = lab();
    const first = await get(sim, `/api/virtualization/virtual-machines/?limit=3&cluster_id=${cluster.id}`);
    expect(first.body.count).toBe(7);
    expect(first.body.results.map((v: { name: string }) => v.name)).toEqual(["vm1", "vm2", "vm3"]);
    expect(first.body.next).toBe(`http://netbox.lab/api/virtualization/virtual-machines/?cluster_id=${cluster.id}&limit=3&offset=3`);
    expect(first.body.previous).toBeNull();
    const second = await get(sim, first.body.next.replace("http://netbox.lab", ""));
    expect(second.body.previous).toBe(`http://netbox.lab/api/virtualization/virtual-machines/?cluster_id=${cluster.id}&limit=3`);
    const last = await get(sim, "/api/virtualization/virtual-machines/?limit=3&offset=6");
    expect([last.body.results.length, last.body.next, last.body.previous]).toEqual([1, null, "http://netbox.lab/api/virtualization/virtual-machines/?limit=3&offset=3"]);
    // MAX_PAGE_SIZE (5 here) caps limit; limit=0 means MAX_PAGE_SIZE; junk falls back to the default.
    expect((await get(sim, "/api/virtualization/virtual-machines/?limit=50")).body.results).toHaveLength(5);
    expect((await get(sim, "/api/virtualization/virtual-machines/?limit=0")).body.results).toHaveLength(5);
    expect((await get(sim, "/api/virtualization/virtual-machines/?limit=abc&offset=-4")).body.results.map((v: { name: string }) => v.name)).toEqual(["vm1", "vm2", "vm3", "vm4", "vm5"]);
    expect((await get(sim, "/api/virtualization/virtual-machines/?offset=99")).body).toMatchObject({ count: 7, results: [] });
  });

  it("orders by the model's ordering (natural names) and by ?ordering=, ignoring unknown fields", async () => {
    const sim = createNetboxSim();
    const { cluster } = seedLab(sim, 0);
    for (const name of ["vm10", "vm2", "VM1"]) sim.create("virtualization/virtual-machines", { name, cluster: cluster.id });
    const names = async (q: string) => (await get(sim, `/api/virtualization/virtual-machines/${q}`)).body.results.map((v: { name: string }) => v.name);
    expect(await names("")).toEqual(["VM1", "vm2", "vm10"]);
    expect(await names("?ordering=-name")).toEqual(["vm10", "vm2", "VM1"]);
    expect(await names("?ordering=-id")).toEqual(["VM1", "vm2", "vm10"]);
    expect(await names("?ordering=nonsense")).toEqual(["VM1", "vm2", "vm10"]);
  });
});

describe("cursor pagination (4.6)", () => {
  it("pages by id from start, with null count and previous and a start link", async () => {
    const { sim, machines } = lab("4.6");
    const ids = machines.map((m) => m.id as number);
    const first = await get(sim, `/api/virtualization/virtual-machines/?start=${ids[2]}&limit=2`);
    expect(first.body.count).toBeNull();
    expect(first.body.previous).toBeNull();
    expect(first.body.results.map((v: { id: number }) => v.id)).toEqual([ids[2], ids[3]]);
    expect(first.body.next).toBe(`http://netbox.lab/api/virtualization/virtual-machines/?limit=2&start=${ids[3]! + 1}`);
    const all: number[] = [];
    let next: string | null = "/api/virtualization/virtual-machines/?start=0&limit=3";
    while (next) {
      const page = await get(sim, next.replace("http://netbox.lab", ""));
      all.push(...page.body.results.map((v: { id: number }) => v.id));
      next = page.body.next;
    }
    expect(all).toEqual(ids);
  });

  it("rejects start with offset or ordering, and a bad start, with DRF's list bodies", async () => {
    const { sim } = lab("4.6");
    expect((await get(sim, "/api/dcim/sites/?start=1&offset=2")).body).toEqual(["'start' and 'offset' are mutually exclusive."]);
    expect((await get(sim, "/api/dcim/sites/?start=1&ordering=name")).body).toEqual(["Ordering cannot be specified in conjunction with cursor-based pagination."]);
    const bad = await get(sim, "/api/dcim/sites/?start=-1");
    expect([bad.status, bad.body]).toEqual([400, ["Invalid 'start' parameter: must be a non-negative integer."]]);
  });

  it("is unknown before 4.6: start is ignored like any unknown parameter", async () => {
    const { sim } = lab("4.5");
    const r = await get(sim, "/api/virtualization/virtual-machines/?start=3&offset=1&limit=2");
    expect(r.body.count).toBe(7);
    expect(r.body.results.map((v: { name: string }) => v.name)).toEqual(["vm2", "vm3"]);
  });
});

describe("representations", () => {
  it("renders brief objects, fields= selections and omit= (4.5+), with nested FKs in brief form", async () => {
    const { sim } = lab();
    const full = (await get(sim, "/api/virtualization/virtual-machines/?limit=1")).body.results[0];
    expect(full.cluster).toEqual({ id: 1, url: "http://netbox.lab/api/virtualization/clusters/1/", display: "pve", name: "pve", description: "" });
    expect(full.status).toEqual({ value: "active", label: "Active" });
    expect(full.role).toEqual({ id: 1, url: "http://netbox.lab/api/dcim/device-roles/1/", display: "VM", name: "VM", slug: "vm", description: "", device_count: 0, virtualmachine_count: 0, _depth: 0 });
    expect(full.interface_count).toBe(1);
    const brief = (await get(sim, "/api/virtualization/virtual-machines/?brief=true&limit=1")).body.results[0];
    expect(Object.keys(brief)).toEqual(["id", "url", "display", "name", "description"]);
    // NetBox tests the raw string: any non-empty value turns brief mode on.
    expect(Object.keys((await get(sim, "/api/virtualization/virtual-machines/?brief=false&limit=1")).body.results[0])).toEqual(["id", "url", "display", "name", "description"]);
    expect((await get(sim, "/api/virtualization/virtual-machines/?fields=name,id&limit=1")).body.results[0]).toEqual({ id: 1, name: "vm1" });
    const omitted = (await get(sim, "/api/virtualization/virtual-machines/1/?omit=config_context,custom_fields")).body;
    expect(omitted).not.toHaveProperty("config_context");
    expect(omitted).toHaveProperty("name", "vm1");
    expect((await get(sim, "/api/virtualization/virtual-machines/1/?exclude=config_context")).body).not.toHaveProperty("config_context");
  });

  it("counts related objects only at the top level (not in nested FKs)", async () => {
    const { sim, cluster } = lab();
    const c = (await get(sim, `/api/virtualization/clusters/${cluster.id}/`)).body;
    expect(c.virtualmachine_count).toBe(7);
    const nested = (await get(sim, "/api/virtualization/virtual-machines/1/")).body.cluster;
    expect(nested).not.toHaveProperty("virtualmachine_count");
  });

  it("sends an ETag on detail views from 4.6 only", async () => {
    const v46 = lab("4.6").sim;
    const v45 = lab("4.5").sim;
    expect((await get(v46, "/api/dcim/sites/1/")).headers.get("etag")).toMatch(/^W\/"\d{4}-\d\d-\d\dT[\d:.]+\+00:00"$/);
    expect((await get(v45, "/api/dcim/sites/1/")).headers.get("etag")).toBeNull();
  });
});

describe("filters", () => {
  function tagged() {
    const { sim, machines, cluster } = lab("4.6", 6);
    sim.create("extras/tags", { name: "Proxbox", slug: "proxbox" });
    sim.create("extras/tags", { name: "Prod", slug: "prod" });
    sim.create("extras/custom-fields", { name: "proxmox_vm_id", type: "integer", object_types: ["virtualization.virtualmachine"], filter_logic: "exact" });
    sim.create("extras/custom-fields", { name: "note", type: "text", object_types: ["virtualization.virtualmachine"] });
    machines.forEach((m, i) => {
      const tags = [i % 2 === 0 ? [{ slug: "proxbox" }] : [], i < 3 ? [{ slug: "prod" }] : []].flat();
      sim.update("virtualization/virtual-machines", m.id as number, { tags, custom_fields: { proxmox_vm_id: 100 + i, note: i === 4 ? "Web Server" : null } });
    });
    return { sim, machines, cluster };
  }
  const names = async (sim: ReturnType<typeof tagged>["sim"], q: string) => {
    const r = await get(sim, `/api/virtualization/virtual-machines/?${q}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.results.map((v: { name: string }) => v.name);
  };

  it("ORs repeated ids and names, applies lookups, and ignores unknown parameters", async () => {
    const { sim } = tagged();
    expect(await names(sim, "id=2&id=4")).toEqual(["vm2", "vm4"]);
    expect(await names(sim, "name=vm1&name=vm3")).toEqual(["vm1", "vm3"]);
    expect(await names(sim, "name__ic=M5")).toEqual(["vm5"]);
    expect(await names(sim, "name__n=vm1&name__n=vm2")).toEqual(["vm3", "vm4", "vm5", "vm6"]);
    expect(await names(sim, "id__gte=5")).toEqual(["vm5", "vm6"]);
    expect(await names(sim, "name__isw=vm&id__lt=3")).toEqual(["vm1", "vm2"]);
    expect(await names(sim, "no_such_filter=1&name=vm2")).toEqual(["vm2"]);
    expect(await names(sim, "q=VM6")).toEqual(["vm6"]);
  });

  it("ANDs repeated tags, negates with tag__n, filters custom fields by cf_ and parents by id", async () => {
    const { sim, cluster } = tagged();
    expect(await names(sim, "tag=proxbox")).toEqual(["vm1", "vm3", "vm5"]);
    expect(await names(sim, "tag=proxbox&tag=prod")).toEqual(["vm1", "vm3"]);
    expect(await names(sim, "tag__n=prod")).toEqual(["vm4", "vm5", "vm6"]);
    expect(await names(sim, "cf_proxmox_vm_id=103")).toEqual(["vm4"]);
    expect(await names(sim, "cf_proxmox_vm_id__gte=104")).toEqual(["vm5", "vm6"]);
    expect(await names(sim, "cf_note=web")).toEqual(["vm5"]);
    expect(await names(sim, "cf_unknown=1&id=1")).toEqual(["vm1"]);
    expect(await names(sim, `cluster_id=${cluster.id}&site_id=1&limit=2`)).toEqual(["vm1", "vm2"]);
    const ifaces = await get(sim, "/api/virtualization/interfaces/?virtual_machine_id=3");
    expect(ifaces.body.results.map((i: { virtual_machine: { id: number } }) => i.virtual_machine.id)).toEqual([3]);
  });

  it("answers a known filter with an invalid value with 400 and django-filter's message", async () => {
    const { sim } = tagged();
    const cases: Array<[string, Record<string, string[]>]> = [
      ["id=abc", { id: ["Enter a number."] }],
      ["cluster_id=999", { cluster_id: ["Select a valid choice. 999 is not one of the available choices."] }],
      ["cluster_id=x", { cluster_id: ["“x” is not a valid value."] }],
      ["status=bogus", { status: ["Select a valid choice. bogus is not one of the available choices."] }],
      ["tag=nope", { tag: ["Select a valid choice. nope is not one of the available choices."] }],
      ["site=nowhere", { site: ["Select a valid choice. nowhere is not one of the available choices."] }],
      ["memory=lots", { memory: ["Enter a number."] }],
    ];
    for (const [q, body] of cases) {
      const r = await get(sim, `/api/virtualization/virtual-machines/?${q}`);
      expect([q, r.status, r.body]).toEqual([q, 400, body]);
    }
  });
});
