/**
 * What every simulator shares: request counting, fault injection and the cost model as one middleware, the
 * `/_sim/*` control routes, and a `fetch` that turns a simulated drop into the error a real dropped connection
 * gives a client. A simulator builds its routes on `harness.app` and reports object counts with `charge`.
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { SimClock } from "./clock";
import { CostModel, COST_MODEL_OFF, type CostModelSettings, type ObjectCounts } from "./cost-model";
import { RequestCounters } from "./counters";
import { Faults, SimulatedDrop } from "./faults";

export interface SimVariables {
  simCounts: ObjectCounts;
  simRoute: string | undefined;
}

export type SimEnv = { Variables: SimVariables };
export type SimContext = Context<SimEnv>;

export interface HarnessOptions {
  name: string;
  clock?: SimClock;
  cost?: CostModelSettings;
  seed?: number;
  /** Which worker queue a request waits in (default: one queue for the whole server). */
  queueKey?: (req: Request) => string;
  /** The body and status the real system would send for an injected error. */
  faultResponse: (status: number) => Response;
}

/** Handlers report how many objects a request read and wrote; the cost model and counters use it. */
export function charge(c: Context, counts: Partial<ObjectCounts>): void {
  const current = (c.get("simCounts") as ObjectCounts | undefined) ?? { reads: 0, writes: 0 };
  c.set("simCounts", { reads: current.reads + (counts.reads ?? 0), writes: current.writes + (counts.writes ?? 0) });
}

/** Overrides the route template a request is counted under (for simulators with their own routing). */
export function countAs(c: Context, template: string): void {
  c.set("simRoute", template);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SimHarness {
  readonly app = new Hono<SimEnv>();
  readonly counters = new RequestCounters();
  readonly faults: Faults;
  readonly cost: CostModel;
  readonly clock: SimClock;

  constructor(private readonly options: HarnessOptions) {
    this.clock = options.clock ?? new SimClock();
    this.faults = new Faults(options.seed ?? 1);
    this.cost = new CostModel(options.cost ?? COST_MODEL_OFF);
    this.app.use("*", this.middleware());
    this.mountControl();
    this.app.onError((err, c) => {
      if (err instanceof SimulatedDrop) throw err;
      throw err instanceof Error ? err : new Error(String(err));
    });
  }

  get name(): string {
    return this.options.name;
  }

  private middleware(): MiddlewareHandler<SimEnv> {
    return async (c, next) => {
      const path = c.req.path;
      if (path.startsWith("/_sim/")) return next();
      c.set("simCounts", { reads: 0, writes: 0 });
      const latency = this.faults.latency();
      if (latency > 0) await sleep(latency);
      const fault = this.faults.decide(path);
      if (fault.kind !== "none") this.counters.recordFault(fault.kind);
      if (fault.kind === "drop") throw new SimulatedDrop();
      if (fault.kind === "hang") {
        await sleep(fault.ms);
        throw new SimulatedDrop();
      }
      const key = this.options.queueKey?.(c.req.raw) ?? "server";
      await this.cost.serve(key, async () => {
        if (fault.kind === "error") c.res = this.options.faultResponse(fault.status);
        else await next();
        return { result: undefined, counts: c.get("simCounts") };
      });
      const route = c.get("simRoute") ?? c.req.routePath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
      this.counters.record(c.req.method, route, c.get("simCounts"));
    };
  }

  private mountControl(): void {
    const app = this.app;
    app.get("/_sim/stats", (c) => c.json(this.stats()));
    app.post("/_sim/reset-stats", (c) => {
      this.resetStats();
      return c.json(this.stats());
    });
    app.put("/_sim/faults", async (c) => {
      try {
        return c.json(this.faults.configure(await c.req.json()));
      } catch (err) {
        return c.json({ error: err instanceof Error ? err.message : String(err) }, 400);
      }
    });
    app.delete("/_sim/faults", (c) => {
      this.faults.reset();
      return c.json(this.faults.settings);
    });
    app.put("/_sim/cost-model", async (c) => c.json(this.cost.configure(await c.req.json())));
    app.post("/_sim/clock/advance", async (c) => {
      const { ms } = (await c.req.json()) as { ms?: unknown };
      if (typeof ms !== "number" || !(ms >= 0)) return c.json({ error: "ms must be a non-negative number" }, 400);
      this.clock.advance(ms);
      return c.json({ now: this.clock.now() });
    });
  }

  stats() {
    return { name: this.name, ...this.counters.snapshot(), cost: this.cost.stats(), faults: this.faults.settings, clock: this.clock.now() };
  }

  resetStats(): void {
    this.counters.reset();
    this.cost.resetStats();
  }

  /** Serves a request the way a network would: a simulated drop rejects like a lost connection. */
  async fetch(request: Request): Promise<Response> {
    try {
      return await this.app.fetch(request);
    } catch (err) {
      if (err instanceof SimulatedDrop) throw new TypeError("Network connection lost.");
      throw err;
    }
  }
}
