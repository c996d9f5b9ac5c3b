/**
 * bench:sim — the simulators' own speed, and the honesty of their cost model.
 * 1. Cost model off: requests per second of the simulator code itself (a NetBox list page of 1,000 VMs, a Proxmox
 *    VM config, a RouterOS resource read), so later benchmarks know the simulators are not their bottleneck.
 * 2. Cost model on (benchmark defaults): a saturating workload per simulator, its measured wall time against the
 *    floor the model reports (busy time over workers). They must agree within 10 %.
 */
import { SimClock } from "../sim/common/clock";
import { BENCHMARK_COSTS, COST_MODEL_OFF } from "../sim/common/cost-model";
import type { SimHarness } from "../sim/common/harness";
import { createNetboxSim } from "../sim/netbox";
import { seedLab } from "../sim/netbox/testing";
import { createProxmoxSim } from "../sim/proxmox";
import { createRouterFleet } from "../sim/routeros";
import { buildLab } from "../sim/lab";
import { report } from "./lib/load";

const TOLERANCE = 0.1;

// The scenario builder at the issue's example size: 10 nodes × 1,000 VMs and 500 routers.
const buildStarted = performance.now();
const big = buildLab({ nodes: 10, vmsPerNode: 1000, lxcPerNode: 100, routers: 500, seed: 1 });
report("lab_build_10x1000_vms_500_routers_ms", performance.now() - buildStarted);
report("lab_guests", big.proxmox.guests().length);
report("lab_routers", big.fleet.routers.length);

async function throughput(harness: SimHarness, makeRequest: (i: number) => Request, seconds = 2): Promise<number> {
  for (let i = 0; i < 20; i++) await (await harness.fetch(makeRequest(i))).arrayBuffer();
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    const res = await harness.fetch(makeRequest(n++));
    if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
  return (n / (performance.now() - started)) * 1000;
}

/** Runs `requests` with `concurrency` clients; returns the measured wall time and the model's floor. */
async function againstFloor(harness: SimHarness, requests: Request[], concurrency: number): Promise<{ measured: number; floor: number }> {
  harness.resetStats();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const res = await harness.fetch(requests[next++]!);
        if (res.status >= 300) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  return { measured: performance.now() - started, floor: harness.cost.stats().floor_ms };
}

function check(name: string, { measured, floor }: { measured: number; floor: number }): boolean {
  const ratio = measured / floor;
  report(`${name}_measured_ms`, measured);
  report(`${name}_floor_ms`, floor);
  report(`${name}_measured_floor_ratio`, ratio);
  return ratio >= 1 - TOLERANCE && ratio <= 1 + TOLERANCE;
}

const clock = new SimClock();

// NetBox: a page of 1,000 VMs.
const netbox = createNetboxSim({ clock, maxPageSize: 1000 });
const lab = seedLab(netbox, 1000);
const nbAuth = { authorization: netbox.authHeader() };
const nbList = () => new Request("http://netbox.lab/api/virtualization/virtual-machines/?limit=1000", { headers: nbAuth });
report("netbox_list_1000_rps", await throughput(netbox.harness, nbList));

// Proxmox: VM configs across a 10-node cluster.
const pve = createProxmoxSim({ clock, nodes: 10, vmsPerNode: 100 });
const pveAuth = { authorization: `PVEAPIToken=${pve.credentials.token.token_id}=${pve.credentials.token.secret}` };
// Interleaved by node so consecutive requests spread over every node's pveproxy workers.
const perNode = [...new Set(pve.guests().map((g) => g.node))].map((node) => pve.guests(node).filter((g) => g.type === "qemu"));
const guests = Array.from({ length: Math.max(...perNode.map((l) => l.length)) }, (_, i) => perNode.flatMap((l) => (l[i] ? [l[i]] : [])));
const flatGuests = guests.flat();
const pveConfig = (i: number) => {
  const g = flatGuests[i % flatGuests.length]!;
  return new Request(`http://pve.lab/api2/json/nodes/${g.node}/qemu/${g.vmid}/config`, { headers: pveAuth });
};
report("proxmox_vm_config_rps", await throughput(pve.harness, pveConfig));

// RouterOS: the resource read every poll makes.
const router = createRouterFleet({ routers: 1, clock }).routers[0]!;
const basic = (u: { username: string; password: string }) => ({ authorization: `Basic ${btoa(`${u.username}:${u.password}`)}` });
const resource = (u: { username: string; password: string }) => () => new Request("http://rtr.lab/rest/system/resource", { headers: basic(u) });
report("routeros_resource_rps", await throughput(router.harness, resource(router.users.poll)));

// With the model on, saturating workloads against the floor.
let ok = true;
// Three nodes (9 pveproxy workers, 450 requests/s modelled) keep the model, not the simulator's own CPU, the limit.
pve.harness.cost.configure(BENCHMARK_COSTS.proxmox);
const threeNodes = flatGuests.filter((g) => ["pve1", "pve2", "pve3"].includes(g.node));
const threeNodeConfigs = Array.from({ length: 300 }, (_, i) => {
  const g = threeNodes[i % threeNodes.length]!;
  return new Request(`http://pve.lab/api2/json/nodes/${g.node}/qemu/${g.vmid}/config`, { headers: pveAuth });
});
ok = check("proxmox_config_x300", await againstFloor(pve.harness, threeNodeConfigs, 24)) && ok;

netbox.harness.cost.configure(BENCHMARK_COSTS.netbox);
const writes = Array.from(
  { length: 20 },
  (_, b) =>
    new Request("http://netbox.lab/api/virtualization/virtual-machines/", {
      method: "POST",
      headers: { ...nbAuth, "content-type": "application/json" },
      body: JSON.stringify(Array.from({ length: 25 }, (_, i) => ({ name: `bench-${b}-${i}`, cluster: lab.cluster.id }))),
    }),
);
const reads = Array.from({ length: 20 }, (_, i) => new Request(`http://netbox.lab/api/virtualization/virtual-machines/?limit=100&offset=${i * 100}`, { headers: nbAuth }));
ok = check("netbox_bulk_write_and_read", await againstFloor(netbox.harness, writes.flatMap((w, i) => [w, reads[i]!]), 12)) && ok;

router.harness.cost.configure(BENCHMARK_COSTS.routeros);
const twoUsers = Array.from({ length: 40 }, (_, i) => resource(i % 2 ? router.users.poll : router.users.admin)());
ok = check("routeros_two_users_x40", await againstFloor(router.harness, twoUsers, 8)) && ok;

for (const h of [pve.harness, netbox.harness, router.harness]) h.cost.configure(COST_MODEL_OFF);
report("floor_checks_within_10_percent", ok ? 1 : 0);
if (!ok) process.exitCode = 1;
