/**
 * The simulated lab of `npm start`: a 3-node Proxmox cluster with 30 guests, a NetBox and 5 routers, each served on
 * its own loopback port. Writes a manifest (ports and the simulators' own credentials) for the start script.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildLab, type LabOptions } from "../lab";
import { serveSim, type ServedSim } from "./serve";

const DEFAULT_LAB: LabOptions = { nodes: 3, vmsPerNode: 8, lxcPerNode: 2, routers: 5, seed: 42 };

export async function serveLab(options: LabOptions = DEFAULT_LAB) {
  const lab = buildLab(options);
  const served: Array<{ service: (typeof lab.services)[number]; server: ServedSim }> = [];
  for (const service of lab.services) served.push({ service, server: await serveSim({ app: service.harness.app }) });
  const guests = lab.proxmox.guests().length;
  return {
    lab,
    manifest: {
      ready: true,
      summary: `Proxmox cluster of ${options.nodes} nodes with ${guests} guests, NetBox ${lab.netbox.version}, ${lab.fleet.routers.length} RouterOS routers`,
      endpoints: served.map(({ service, server }) => ({
        kind: service.kind,
        name: service.name,
        scheme: "http",
        host: "127.0.0.1",
        port: server.port,
        credentials: service.credentials,
      })),
    },
    close: () => Promise.all(served.map(({ server }) => server.close())),
  };
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const manifestPath = process.argv[2] ?? ".lab/lab.json";
  mkdirSync(path.dirname(manifestPath), { recursive: true });
  writeFileSync(manifestPath, JSON.stringify({ ready: false }), { mode: 0o600 });
  const { manifest } = await serveLab();
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2), { mode: 0o600 });
  console.log(`${manifest.summary}; listening on ${manifest.endpoints.map((e) => e.port).join(", ")}`);
}
