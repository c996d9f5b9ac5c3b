/**
 * "Test connection": one cheap, read-only call per kind through the typed client (and so through transport.ts),
 * reporting the version the service says it runs and how long the round trip took.
 */
import type { Services } from "../context";
import type { AppBindings } from "../env";
import { NetboxClient } from "../upstream/netbox";
import { ProxmoxClient } from "../upstream/proxmox";
import { RouterosClient } from "../upstream/routeros";
import { Transport } from "../upstream/transport";
import type { NetboxCredentials, ProxmoxCredentials, RouterosCredentials } from "../upstream/credentials";
import type { ConnectableEndpoint } from "./endpoints";

export interface ProbeResult {
  version: string;
  latencyMs: number;
  details: Record<string, unknown>;
}

async function probeKind({ endpoint, credentials }: ConnectableEndpoint, transport: Transport): Promise<Omit<ProbeResult, "latencyMs">> {
  switch (endpoint.kind) {
    case "proxmox": {
      const v = await new ProxmoxClient(transport, credentials as ProxmoxCredentials).version();
      return { version: v.version, details: { release: v.release, repoid: v.repoid } };
    }
    case "netbox": {
      const s = await new NetboxClient(transport, credentials as NetboxCredentials).status();
      return { version: s.netboxVersion, details: { api_version: s.apiVersion, plugins: s.plugins } };
    }
    case "routeros": {
      const r = await new RouterosClient(transport, credentials as RouterosCredentials).systemResource();
      return { version: r.versionNumber, details: { board_name: r.boardName, uptime_seconds: r.uptimeSeconds, cpu_load: r.cpuLoad } };
    }
  }
}

export async function probeEndpoint(services: Services, env: AppBindings, connectable: ConnectableEndpoint): Promise<ProbeResult> {
  const transport = new Transport(connectable.target, { limiter: services.upstream, bindings: env });
  const started = Date.now();
  const result = await probeKind(connectable, transport);
  return { ...result, latencyMs: Date.now() - started };
}
