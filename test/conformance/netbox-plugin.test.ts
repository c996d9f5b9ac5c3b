/**
 * The netbox-proxbox plugin paths are not in NetBox's OpenAPI document, so they are checked for NetBox's REST
 * conventions instead, over real HTTP (`serveSim`): the list envelope and its absolute pagination links, offset and
 * cursor paging, `id/url/display` on every object with `url` naming its detail path, brief mode, 404 bodies, and
 * the write statuses (201/200/204) — the same conventions every core model follows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveSim, type ServedSim } from "../sim/node/serve";
import { createNetboxSim, type NetboxSim } from "../sim/netbox";
import { modelsFor } from "../sim/netbox/models";

let sim: NetboxSim;
let served: ServedSim;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${served.url}${path}`, {
    method,
    headers: { authorization: sim.authHeader(), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Three objects per plugin model (the settings singleton excepted), created through the API. */
async function populate(): Promise<void> {
  const site = sim.create("dcim/sites", { name: "S", slug: "s" });
  sim.create("virtualization/cluster-types", { name: "Cluster", slug: "cluster" });
  const cluster = sim.create("virtualization/clusters", { name: "pve", type: 1, scope_type: "dcim.site", scope_id: site.id });
  sim.create("dcim/manufacturers", { name: "Proxmox", slug: "proxmox" });
  sim.create("dcim/device-types", { manufacturer: 1, model: "Generic", slug: "generic" });
  sim.create("dcim/device-roles", { name: "Node", slug: "node" });
  for (let i = 1; i <= 3; i++) {
    const vm = sim.create("virtualization/virtual-machines", { name: `vm${i}`, cluster: cluster.id });
    const iface = sim.create("virtualization/interfaces", { name: "net0", virtual_machine: vm.id });
    const disk = sim.create("virtualization/virtual-disks", { name: "scsi0", virtual_machine: vm.id, size: 1024 });
    const device = sim.create("dcim/devices", { name: `pve${i}`, device_type: 1, role: 1, site: site.id, cluster: cluster.id });
    const endpoint = (await call("POST", "/api/plugins/proxbox/endpoints/proxmox/", { name: `ep${i}`, domain: `pve${i}.lab`, mode: "cluster" })).body;
    const pcluster = (await call("POST", "/api/plugins/proxbox/proxmox-clusters/", { endpoint: endpoint.id, name: `pc${i}`, netbox_cluster: cluster.id })).body;
    const node = (await call("POST", "/api/plugins/proxbox/proxmox-nodes/", { endpoint: endpoint.id, name: `pve${i}`, proxmox_cluster: pcluster.id, netbox_device: device.id })).body;
    const storage = (await call("POST", "/api/plugins/proxbox/storage/", { cluster: cluster.id, name: `store${i}`, storage_type: "dir" })).body;
    const writes: Array<[string, Record<string, unknown>]> = [
      ["backups", { virtual_machine: vm.id, proxmox_storage: storage.id, storage: `store${i}`, volume_id: `store${i}:backup/${i}.vma.zst`, vmid: 100 + i, creation_time: "2026-03-01T02:00:00Z" }],
      ["snapshots", { virtual_machine: vm.id, name: `snap${i}`, vmid: 100 + i, node: `pve${i}`, subtype: "qemu", status: "active" }],
      ["task-history", { virtual_machine: vm.id, upid: `UPID:pve${i}:0000${i}:00000001:66000000:qmstart:${100 + i}:root@pam:`, node: `pve${i}`, task_type: "qmstart", username: "root@pam", start_time: "2026-03-01T10:00:00Z", description: "start", status: "OK" }],
      ["replications", { endpoint: endpoint.id, replication_id: `${100 + i}-0`, virtual_machine: vm.id, proxmox_node: node.id, guest: 100 + i, target: "pve9", jobnum: 0 }],
      ["backup-routines", { endpoint: endpoint.id, job_id: `backup-${i}`, node: node.id, storage: storage.id, keep_last: i }],
      ["sync-state/virtual-machines", { virtual_machine: vm.id, endpoint: endpoint.id, proxmox_vm_id: 100 + i, proxmox_vm_type: "qemu" }],
      ["sync-state/devices", { device: device.id, endpoint: endpoint.id, proxmox_node: node.id, proxmox_node_name: `pve${i}` }],
      ["sync-state/vm-interfaces", { vm_interface: iface.id }],
      ["sync-state/virtual-disks", { virtual_disk: disk.id, proxbox_storage: storage.id }],
    ];
    if (i === 1) writes.push(["sync-state/clusters", { cluster: cluster.id, proxmox_cluster: pcluster.id, proxmox_cluster_name: "pve" }]);
    for (const [path, body] of writes) {
      const r = await call("POST", `/api/plugins/proxbox/${path}/`, body);
      expect([path, r.status], JSON.stringify(r.body)).toEqual([path, 201]);
    }
  }
}

const pluginModels = modelsFor("4.6", true).filter((m) => m.path.startsWith("plugins/"));

describe("netbox-proxbox plugin paths follow NetBox's REST conventions", () => {
  beforeAll(async () => {
    sim = createNetboxSim({ plugin: true });
    served = await serveSim(sim.harness);
    await populate();
  });
  afterAll(() => served.close());

  it("lists every plugin model with the paginated envelope and absolute offset links", async () => {
    for (const m of pluginModels) {
      const first = await call("GET", `/api/${m.path}/?limit=1`);
      expect([m.path, first.status, Object.keys(first.body)]).toEqual([m.path, 200, ["count", "next", "previous", "results"]]);
      expect(Number.isInteger(first.body.count)).toBe(true);
      if (first.body.count > 1) {
        expect(first.body.next).toBe(`${served.url}/api/${m.path}/?limit=1&offset=1`);
        const second = await call("GET", first.body.next.slice(served.url.length));
        expect(second.body.previous).toBe(`${served.url}/api/${m.path}/?limit=1`);
        expect(second.body.results[0].id).not.toBe(first.body.results[0].id);
      }
    }
  });

  it("pages every plugin model by cursor on 4.6 (ids ascending, count and previous null)", async () => {
    for (const m of pluginModels) {
      const ids: number[] = [];
      let next: string | null = `/api/${m.path}/?start=0&limit=2`;
      while (next) {
        const page = await call("GET", next.startsWith("http") ? next.slice(served.url.length) : next);
        expect([page.body.count, page.body.previous]).toEqual([null, null]);
        ids.push(...page.body.results.map((r: { id: number }) => r.id));
        next = page.body.next;
      }
      expect([m.path, ids]).toEqual([m.path, [...ids].sort((a, b) => a - b)]);
      expect(ids.length).toBe(sim.count(m.path));
    }
  });

  it("renders id, url (its own detail path) and display on every object, the same in list and detail", async () => {
    for (const m of pluginModels) {
      const list = await call("GET", `/api/${m.path}/`);
      for (const obj of list.body.results) {
        expect(Number.isInteger(obj.id)).toBe(true);
        expect(obj.url).toBe(`${served.url}/api/${m.path}/${obj.id}/`);
        expect(typeof obj.display).toBe("string");
        expect((await call("GET", `/api/${m.path}/${obj.id}/`)).body).toEqual(obj);
      }
    }
  });

  it("answers brief requests with the brief fields only, and unknown ids with NetBox's 404 body", async () => {
    for (const m of pluginModels) {
      const brief = await call("GET", `/api/${m.path}/?brief=1&limit=1`);
      expect([m.path, Object.keys(brief.body.results[0])]).toEqual([m.path, [...m.brief]]);
      const missing = await call("GET", `/api/${m.path}/9999/`);
      expect([m.path, missing.status, missing.body]).toEqual([m.path, 404, { detail: `No ${m.objectName} matches the given query.` }]);
    }
  });

  it("updates with 200 and deletes with 204 like any NetBox model (settings: update only)", async () => {
    for (const m of pluginModels) {
      const first = (await call("GET", `/api/${m.path}/?limit=1`)).body.results[0];
      const patched = await call("PATCH", `/api/${m.path}/${first.id}/`, {});
      expect([m.path, patched.status]).toEqual([m.path, 200]);
      expect(patched.body.last_updated > first.last_updated).toBe(true);
      const deleted = await call("DELETE", `/api/${m.path}/${first.id}/`);
      const deletable = !m.methods || m.methods.includes("DELETE");
      expect([m.path, deleted.status]).toEqual([m.path, deletable ? 204 : 405]);
    }
  });
});
