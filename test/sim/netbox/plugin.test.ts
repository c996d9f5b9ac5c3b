/** The netbox-proxbox plugin's models behind the `plugin` switch (proxbox contract §1, §12.3). */
import { describe, expect, it } from "vitest";
import { createNetboxSim } from "./index";
import { del, get, patch, post, seedLab } from "./testing";

describe("the plugin switch", () => {
  it("serves no plugin paths without the plugin", async () => {
    const sim = createNetboxSim();
    for (const path of ["storage", "sync-state/virtual-machines", "settings", "settings/runtime"]) {
      const r = await get(sim, `/api/plugins/proxbox/${path}/`);
      expect([path, r.status, r.headers.get("content-type")?.startsWith("text/html")]).toEqual([path, 404, true]);
    }
    expect((await get(sim, "/api/status/")).body.plugins).toEqual({});
  });

  it("serves every path the contract names, with NetBox's list envelope", async () => {
    const sim = createNetboxSim({ plugin: true });
    const paths = [
      "endpoints/proxmox",
      "storage",
      "backups",
      "snapshots",
      "task-history",
      "replications",
      "backup-routines",
      "sync-state/virtual-machines",
      "sync-state/devices",
      "sync-state/clusters",
      "sync-state/vm-interfaces",
      "sync-state/virtual-disks",
      "settings",
    ];
    for (const path of paths) {
      const r = await get(sim, `/api/plugins/proxbox/${path}/`);
      expect([path, r.status, Object.keys(r.body)]).toEqual([path, 200, ["count", "next", "previous", "results"]]);
    }
  });
});

describe("plugin models", () => {
  function lab() {
    const sim = createNetboxSim({ plugin: true });
    const seeded = seedLab(sim, 2);
    return { sim, ...seeded };
  }

  it("stores sync-state sidecars one per object, nesting the object plugin-style and filtering by it", async () => {
    const { sim, machines } = lab();
    const vm = machines[0]!.id as number;
    const created = await post(sim, "/api/plugins/proxbox/sync-state/virtual-machines/", { virtual_machine: vm, proxmox_vm_id: 100, proxmox_endpoint_raw_id: 1, proxmox_cluster_name: "pve", proxmox_vm_type: "qemu" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 1, url: "http://netbox.lab/api/plugins/proxbox/sync-state/virtual-machines/1/", display: "vm1 Proxbox sync state", virtual_machine: { id: vm, url: `http://netbox.lab/api/virtualization/virtual-machines/${vm}/`, display: "vm1", name: "vm1" } });
    expect(created.body).not.toHaveProperty("display_url");
    const again = await post(sim, "/api/plugins/proxbox/sync-state/virtual-machines/", { virtual_machine: vm, proxmox_vm_id: 101 });
    expect(again.body).toEqual({ virtual_machine: ["Proxbox virtual machine sync state with this virtual machine already exists."] });
    const found = await get(sim, "/api/plugins/proxbox/sync-state/virtual-machines/?proxmox_endpoint_raw_id=1&proxmox_vm_id=100");
    expect(found.body.results.map((r: { virtual_machine: { id: number } }) => r.virtual_machine.id)).toEqual([vm]);
    expect((await get(sim, `/api/plugins/proxbox/sync-state/virtual-machines/?virtual_machine_id=${machines[1]!.id}`)).body.count).toBe(0);
  });

  it("keys storage by (cluster, name), task history by UPID, and cascades plugin rows with their VM", async () => {
    const { sim, cluster, machines } = lab();
    const storage = await post(sim, "/api/plugins/proxbox/storage/", { cluster: cluster.id, name: "local-lvm", storage_type: "lvmthin", content: "images,rootdir", raw_config: { thinpool: "data" } });
    expect(storage.status).toBe(201);
    expect(storage.body.cluster).toMatchObject({ id: cluster.id, name: "pve" });
    expect((await post(sim, "/api/plugins/proxbox/storage/", { cluster: cluster.id, name: "local-lvm" })).body).toEqual({ __all__: ["Proxmox storage with this Cluster and Name already exists."] });
    const vm = machines[0]!.id as number;
    const upid = "UPID:pve1:000A1B2C:0123ABCD:66000000:qmstart:100:root@pam:";
    const task = { virtual_machine: vm, upid, node: "pve1", task_type: "qmstart", username: "root@pam", start_time: "2026-03-01T10:00:00Z", description: "VM 100 - Start", status: "OK", task_state: "stopped" };
    expect((await post(sim, "/api/plugins/proxbox/task-history/", task)).status).toBe(201);
    expect((await post(sim, "/api/plugins/proxbox/task-history/", task)).body).toEqual({ upid: ["VM task history with this upid already exists."] });
    expect((await post(sim, "/api/plugins/proxbox/backups/", { virtual_machine: vm, proxmox_storage: storage.body.id, storage: "local-lvm", volume_id: "local:backup/vzdump-qemu-100.vma.zst", format: "zst", subtype: "qemu" })).status).toBe(201);
    expect((await post(sim, "/api/plugins/proxbox/snapshots/", { virtual_machine: vm, name: "before-upgrade", vmid: 100, node: "pve1", subtype: "qemu", status: "active" })).status).toBe(201);
    expect((await del(sim, `/api/virtualization/virtual-machines/${vm}/`)).status).toBe(204);
    expect([sim.count("plugins/proxbox/task-history"), sim.count("plugins/proxbox/backups"), sim.count("plugins/proxbox/snapshots"), sim.count("plugins/proxbox/storage")]).toEqual([0, 0, 0, 1]);
  });

  it("keys replications and backup routines by endpoint", async () => {
    const { sim, machines } = lab();
    const endpoint = (await post(sim, "/api/plugins/proxbox/endpoints/proxmox/", { name: "pve-lab", domain: "pve.lab", port: 8006, mode: "cluster" })).body;
    expect(endpoint).toMatchObject({ name: "pve-lab", mode: { value: "cluster", label: "Cluster" }, verify_ssl: true });
    expect((await post(sim, "/api/plugins/proxbox/endpoints/proxmox/", { name: "x" })).body).toEqual({ mode: ["This field is required."] });
    const replication = { endpoint: endpoint.id, replication_id: "100-0", virtual_machine: machines[0]!.id, guest: 100, target: "pve2", jobnum: 0 };
    expect((await post(sim, "/api/plugins/proxbox/replications/", replication)).status).toBe(201);
    expect((await post(sim, "/api/plugins/proxbox/replications/", replication)).body).toEqual({ __all__: ["Replication with this Endpoint and Replication id already exists."] });
    const routine = await post(sim, "/api/plugins/proxbox/backup-routines/", { endpoint: endpoint.id, job_id: "backup-1a2b", schedule: "sun 01:00", keep_last: 3, selection: ["100", "101"] });
    expect(routine.body).toMatchObject({ job_id: "backup-1a2b", keep_last: 3, selection: ["100", "101"], status: { value: "active", label: "Active" } });
    expect((await patch(sim, `/api/plugins/proxbox/backup-routines/${routine.body.id}/`, { status: "stale" })).body.status.value).toBe("stale");
  });

  it("keeps the settings singleton: GET and PATCH only, the encryption key only on runtime", async () => {
    const { sim } = lab();
    const list = await get(sim, "/api/plugins/proxbox/settings/");
    expect(list.body.count).toBe(1);
    expect(list.body.results[0]).toMatchObject({ netbox_max_concurrent: 1, bulk_batch_size: 50, bulk_batch_delay_ms: 500, custom_fields_enabled: false });
    expect((await post(sim, "/api/plugins/proxbox/settings/", {})).status).toBe(405);
    expect((await del(sim, "/api/plugins/proxbox/settings/1/")).status).toBe(405);
    const patched = await patch(sim, "/api/plugins/proxbox/settings/1/", { bulk_batch_size: 200, encryption_key: "k3y" });
    expect(patched.body.bulk_batch_size).toBe(200);
    expect(patched.body).not.toHaveProperty("encryption_key");
    const runtime = await get(sim, "/api/plugins/proxbox/settings/runtime/");
    expect(runtime.body).toMatchObject({ bulk_batch_size: 200, encryption_key_configured: true, encryption_key: "k3y" });
  });
});
