/** A few thousand objects through the API (indices, cursor paging, cascades) and the cost model's object counts. */
import { describe, expect, it } from "vitest";
import { createNetboxSim } from "./index";
import { del, get, post } from "./testing";

describe("scale", () => {
  it("holds 2,000 VMs with interfaces and 4,000 IPs, pages them by cursor and filters them by index", async () => {
    const sim = createNetboxSim({ seed: 3 });
    const site = sim.create("dcim/sites", { name: "S", slug: "s" });
    sim.create("virtualization/cluster-types", { name: "Proxmox", slug: "proxmox" });
    const clusters = [1, 2].map((n) => sim.create("virtualization/clusters", { name: `c${n}`, type: 1, scope_type: "dcim.site", scope_id: site.id }));
    for (let batch = 0; batch < 4; batch++) {
      const vms = Array.from({ length: 500 }, (_, i) => ({ name: `vm-${batch * 500 + i}`, cluster: clusters[(batch * 500 + i) % 2]!.id, memory: 2048 }));
      expect((await post(sim, "/api/virtualization/virtual-machines/", vms)).status).toBe(201);
      const ifaces = vms.map((_, i) => ({ name: "net0", virtual_machine: batch * 500 + i + 1 }));
      expect((await post(sim, "/api/virtualization/interfaces/", ifaces)).status).toBe(201);
    }
    const ips = Array.from({ length: 4000 }, (_, i) => ({ address: `10.8.${(i + 1) >> 8}.${(i + 1) & 255}/16`, assigned_object_type: "virtualization.vminterface", assigned_object_id: (i % 2000) + 1 }));
    for (let i = 0; i < ips.length; i += 1000) expect((await post(sim, "/api/ipam/ip-addresses/", ips.slice(i, i + 1000))).status).toBe(201);

    const seen: number[] = [];
    let next: string | null = `/api/virtualization/virtual-machines/?cluster_id=${clusters[1]!.id}&start=0&limit=1000&brief=1`;
    while (next) {
      const page = await get(sim, next.replace("http://netbox.lab", ""));
      seen.push(...page.body.results.map((v: { id: number }) => v.id));
      next = page.body.next;
    }
    expect(seen).toHaveLength(1000);
    expect(seen.every((id, i) => i === 0 || id > seen[i - 1]!)).toBe(true);

    const vmIps = await get(sim, "/api/ipam/ip-addresses/?virtual_machine_id=1234");
    expect(vmIps.body.results.map((ip: { address: string }) => ip.address)).toEqual(["10.8.4.210/16", "10.8.12.162/16"]);
    expect((await get(sim, "/api/ipam/ip-addresses/?address=10.8.15.159")).body.results).toHaveLength(1);
    expect((await get(sim, "/api/virtualization/virtual-machines/?name=vm-1999")).body.results[0].id).toBe(2000);
    expect((await get(sim, `/api/virtualization/clusters/${clusters[0]!.id}/`)).body).toMatchObject({ virtualmachine_count: 1000, allocated_memory: 2048000 });

    const doomed = Array.from({ length: 500 }, (_, i) => ({ id: i + 1 }));
    expect((await del(sim, "/api/virtualization/virtual-machines/", doomed)).status).toBe(204);
    expect([sim.count("virtualization/virtual-machines"), sim.count("virtualization/interfaces"), sim.count("ipam/ip-addresses")]).toEqual([1500, 1500, 3000]);
  });
});

describe("cost model accounting", () => {
  it("charges base latency plus a per-object cost for objects read and written", async () => {
    const sim = createNetboxSim({ cost: { enabled: true, workers: 4, baseLatencyMs: 1, perObjectReadMs: 0.5, perObjectWriteMs: 2 } });
    const sites = Array.from({ length: 10 }, (_, i) => ({ name: `s${i}`, slug: `s${i}` }));
    await post(sim, "/api/dcim/sites/", sites);
    const afterWrite = sim.harness.stats();
    // 10 objects written, 10 serialised back: 1 + 10 × 2 + 10 × 0.5.
    expect([afterWrite.objects_written, afterWrite.objects_read, afterWrite.cost.busy_ms]).toEqual([10, 10, 26]);
    await get(sim, "/api/dcim/sites/?limit=4");
    const afterRead = sim.harness.stats();
    expect([afterRead.objects_read, afterRead.cost.busy_ms]).toEqual([14, 29]);
  });
});
