/**
 * RouterOS 7 REST simulator: a fleet of routers, each its own Hono app on its own `SimHarness` (own counters,
 * faults and cost model) served under `/rest`. Requests queue per Basic-auth user, as RouterOS serialises one
 * user's REST requests while other users run in parallel.
 */
import { SimClock } from "../common/clock";
import { COST_MODEL_OFF, type CostModelSettings } from "../common/cost-model";
import { SimHarness } from "../common/harness";
import { faultResponse } from "./errors";
import { renderExport } from "./export";
import { buildMenuTree } from "./menus";
import type { Row } from "./query";
import { mountRest } from "./rest";
import { buildRouter, routerName, routerSeed, type RouterUsers } from "./scenario";
import type { RouterState } from "./state";
import type { CounterSnapshot } from "./traffic";
import { basicUserName, type Policy } from "./users";

export interface RouterFleetOptions {
  routers: number;
  seed?: number;
  clock?: SimClock;
  /** Default off; benchmarks pass `BENCHMARK_COSTS.routeros` (one worker per user). */
  cost?: CostModelSettings;
}

export class RouterSim {
  readonly harness: SimHarness;
  readonly users: RouterUsers;
  /** The router's state; tests read it through the accessors below. */
  private readonly state: RouterState;

  constructor(
    readonly name: string,
    index: number,
    seed: number,
    clock: SimClock,
    cost: CostModelSettings,
  ) {
    const built = buildRouter(name, index, seed, clock);
    this.state = built.state;
    this.users = built.users;
    this.harness = new SimHarness({
      name,
      clock,
      seed,
      cost,
      queueKey: (req) => basicUserName(req.headers.get("authorization")) ?? "(anonymous)",
      faultResponse,
    });
    mountRest(this.harness.app, this.state, buildMenuTree(this.state));
  }

  /** Serves a request like the network would (a drop rejects like a lost connection). */
  fetch(request: Request): Promise<Response> {
    return this.harness.fetch(request);
  }

  // --- what tests and benchmarks change ---

  /** A configuration change made on the router: adds an address-list entry with this comment. */
  changeConfig(description: string): void {
    const list = this.state.tables["ip/firewall/address-list"];
    list.insert({ address: `198.51.100.${(list.size % 250) + 1}`, comment: description, list: "changes" });
    this.state.touchConfig();
  }

  /** A reboot: uptime restarts and interface counters start from zero. */
  rebootCounters(): void {
    this.state.reboot();
  }

  /** An unreachable router drops every connection. */
  setReachable(reachable: boolean): void {
    this.state.reachable = reachable;
  }

  /** Plugs or unplugs a port; going down counts a link-down, coming up restarts the traffic. */
  setLinked(interfaceName: string, linked: boolean): void {
    const iface = this.state.interfaces.byName(interfaceName);
    if (!iface) throw new Error(`${this.name} has no interface ${interfaceName}`);
    if (iface.linked === linked) return;
    iface.linked = linked;
    if (linked) iface.lastLinkUpMs = this.state.nowMs();
    else iface.linkDowns++;
    this.state.interfaces.syncFlow(this.state.seconds());
  }

  addUser(name: string, password: string, policies: readonly Policy[], group = "custom"): void {
    this.state.users.add(name, password, group, policies);
  }

  // --- typed accessors ---

  get boardName(): string {
    return this.state.facts.model.boardName;
  }

  get isChr(): boolean {
    return this.state.facts.model.chr;
  }

  /** `7.16.1` (without the channel). */
  get version(): string {
    return this.state.facts.version;
  }

  get serialNumber(): string | undefined {
    return this.state.facts.serial;
  }

  get identity(): string {
    return this.state.identity;
  }

  /** `last-config-change` as the router prints it. */
  get lastConfigChange(): string {
    return this.state.date(this.state.lastConfigChangeMs);
  }

  interfaceNames(): string[] {
    return [...this.state.interfaces.all()].map((i) => i.config.name!);
  }

  counters(interfaceName: string): CounterSnapshot {
    const iface = this.state.interfaces.byName(interfaceName);
    if (!iface) throw new Error(`${this.name} has no interface ${interfaceName}`);
    return iface.counters.at(this.state.seconds());
  }

  resource(): Row {
    return this.state.resource();
  }

  fileNames(): string[] {
    return this.state.files.all().map((f) => f.name);
  }

  /** The export text as of now (LF line ends; the file `export` writes uses CRLF). */
  exportText(options: { showSensitive?: boolean } = {}): string {
    return renderExport(this.state, this.state.nowMs(), { showSensitive: options.showSensitive ?? false, terse: false });
  }
}

export class RouterFleet {
  readonly routers: RouterSim[];
  private readonly byName: Map<string, RouterSim>;

  constructor(options: RouterFleetOptions) {
    const clock = options.clock ?? new SimClock();
    const seed = options.seed ?? 1;
    const cost = options.cost ?? COST_MODEL_OFF;
    this.routers = Array.from({ length: options.routers }, (_, i) => new RouterSim(routerName(i, options.routers), i, routerSeed(seed, i), clock, cost));
    this.byName = new Map(this.routers.map((r) => [r.name, r]));
  }

  get(name: string): RouterSim | undefined {
    return this.byName.get(name);
  }
}

export function createRouterFleet(options: RouterFleetOptions): RouterFleet {
  return new RouterFleet(options);
}

export { faultResponse };
