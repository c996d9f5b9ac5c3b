/**
 * A whole simulated lab: one Proxmox VE cluster, one NetBox and a fleet of RouterOS routers sharing a clock,
 * deterministic per seed. Each service has a virtual address; `dispatch` routes a request to it by host and port
 * the way the network would (an unknown address fails like an unreachable host).
 */
import type { EndpointKind } from "../../src/db/schema";
import type { NetboxCredentials, ProxmoxCredentials, RouterosCredentials } from "../../src/upstream/credentials";
import { SimClock } from "./common/clock";
import { BENCHMARK_COSTS } from "./common/cost-model";
import type { SimHarness } from "./common/harness";
import { createNetboxSim, type NetboxSim, type NetboxSimOptions } from "./netbox";
import { createProxmoxSim, type ProxmoxSim } from "./proxmox";
import { createRouterFleet, type RouterFleet } from "./routeros";

export interface LabOptions {
  nodes?: number;
  vmsPerNode?: number;
  lxcPerNode?: number;
  routers?: number;
  seed?: number;
  clock?: SimClock;
  /** `benchmark` switches on the cost model with the issue's defaults (20 ms base; NetBox 5 ms/write, 2 ms/read). */
  costs?: "off" | "benchmark";
  netbox?: Pick<NetboxSimOptions, "version" | "plugin" | "webhookFetch">;
}

export interface LabService {
  kind: EndpointKind;
  /** Endpoint name used when the lab is registered with Outpost. */
  name: string;
  host: string;
  port: number;
  harness: SimHarness;
  credentials: ProxmoxCredentials | NetboxCredentials | RouterosCredentials;
}

export class Lab {
  readonly services: LabService[];
  private readonly byAddress: Map<string, LabService>;

  constructor(
    readonly proxmox: ProxmoxSim,
    readonly netbox: NetboxSim,
    readonly fleet: RouterFleet,
    readonly clock: SimClock,
  ) {
    this.services = [
      { kind: "proxmox", name: "lab-pve", host: "pve.lab", port: 8006, harness: proxmox.harness, credentials: { type: "token", ...proxmox.credentials.token } },
      { kind: "netbox", name: "lab-netbox", host: "netbox.lab", port: 8080, harness: netbox.harness, credentials: { type: "token_v1", token: netbox.tokens.v1 } },
      ...fleet.routers.map((r) => ({
        kind: "routeros" as const,
        name: r.name,
        host: `${r.name}.lab`,
        port: 80,
        harness: r.harness,
        credentials: { type: "password" as const, ...r.users.poll },
      })),
    ];
    this.byAddress = new Map(this.services.map((s) => [`${s.host}:${s.port}`, s]));
  }

  service(kind: EndpointKind, name?: string): LabService {
    const found = this.services.find((s) => s.kind === kind && (name === undefined || s.name === name));
    if (!found) throw new Error(`the lab has no ${kind} service${name ? ` named ${name}` : ""}`);
    return found;
  }

  async dispatch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const service = this.byAddress.get(`${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`);
    if (!service) throw new TypeError(`connect ECONNREFUSED ${url.host}`);
    return service.harness.fetch(request);
  }
}

export function buildLab(options: LabOptions = {}): Lab {
  const seed = options.seed ?? 1;
  const clock = options.clock ?? new SimClock();
  const bench = options.costs === "benchmark";
  const proxmox = createProxmoxSim({
    seed,
    clock,
    nodes: options.nodes ?? 1,
    vmsPerNode: options.vmsPerNode ?? 0,
    lxcPerNode: options.lxcPerNode ?? 0,
    ...(bench ? { cost: BENCHMARK_COSTS.proxmox } : {}),
  });
  const netbox = createNetboxSim({ seed, clock, ...options.netbox, ...(bench ? { cost: BENCHMARK_COSTS.netbox } : {}) });
  const fleet = createRouterFleet({ routers: options.routers ?? 0, seed, clock, ...(bench ? { cost: BENCHMARK_COSTS.routeros } : {}) });
  return new Lab(proxmox, netbox, fleet, clock);
}
