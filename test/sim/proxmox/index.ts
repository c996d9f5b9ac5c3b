/**
 * Proxmox VE 9.1 simulator: a Hono app on the shared harness, served under `/api2/json`, strict like the real API
 * (parameter validation from hand-written declarations, PVE's auth and permission model, error shapes), stateful
 * (guests, storage, tasks with real UPIDs and clock-driven lifecycles) and indexed to hold 10 nodes × 1,000 VMs.
 */
import { SimClock } from "../common/clock";
import { COST_MODEL_OFF, type CostModelSettings } from "../common/cost-model";
import { SimHarness } from "../common/harness";
import type { AccessControl } from "./access";
import { faultResponse } from "./errors";
import type { Guest, JobConfig, Pool, SimNode } from "./model";
import { PveRouter } from "./router";
import { accessRoutes } from "./routes/access";
import { clusterRoutes } from "./routes/cluster";
import { snapshotRoutes, vzdumpRoute } from "./routes/guest-lifecycle";
import { jobRoutes } from "./routes/jobs";
import { lxcRoutes } from "./routes/lxc";
import { qemuRoutes } from "./routes/qemu";
import { taskRoutes } from "./routes/tasks";
import { buildScenario, type ScenarioCredentials } from "./scenario";
import type { EndpointDecl } from "./schema/types";
import { SimState } from "./state";
import { DEFAULT_TASK_DURATIONS, type Task, type TaskFault } from "./tasks";

export interface ProxmoxSimOptions {
  seed?: number;
  clock?: SimClock;
  /** Default off; pass `BENCHMARK_COSTS.proxmox` for pveproxy's 3 workers per node. */
  cost?: CostModelSettings;
  clusterName?: string;
  /** Nodes `pve1..pveN` (default 1). */
  nodes?: number;
  vmsPerNode?: number;
  lxcPerNode?: number;
  /** Task durations in ms by task type (`qmcreate`, `vzdump`, …), merged over the defaults. */
  taskDurations?: Record<string, number>;
  /** Delay of every 401 (PVE waits about 3 s); default 0. */
  authFailureDelayMs?: number;
}

export class ProxmoxSim {
  readonly harness: SimHarness;
  readonly credentials: ScenarioCredentials;
  private readonly state: SimState;
  private readonly router: PveRouter;

  constructor(options: ProxmoxSimOptions = {}) {
    const clock = options.clock ?? new SimClock();
    const seed = options.seed ?? 1;
    this.state = new SimState(options.clusterName ?? "lab", clock, seed, { ...DEFAULT_TASK_DURATIONS, ...options.taskDurations });
    this.credentials = buildScenario(this.state, {
      seed,
      nodes: Math.max(1, options.nodes ?? 1),
      vmsPerNode: options.vmsPerNode ?? 0,
      lxcPerNode: options.lxcPerNode ?? 0,
    });
    const firstNode = this.state.firstNode().name;
    this.harness = new SimHarness({
      name: "proxmox",
      clock,
      seed,
      cost: options.cost ?? COST_MODEL_OFF,
      // Each node runs its own pveproxy, so requests queue per node.
      queueKey: (req) => /^\/api2\/json\/nodes\/([^/]+)/.exec(new URL(req.url).pathname)?.[1] ?? firstNode,
      faultResponse,
    });
    this.router = new PveRouter(this.harness.app, this.state, { authFailureDelayMs: options.authFailureDelayMs ?? 0 });
    clusterRoutes(this.router);
    qemuRoutes(this.router);
    lxcRoutes(this.router);
    snapshotRoutes(this.router, "qemu");
    snapshotRoutes(this.router, "lxc");
    vzdumpRoute(this.router);
    taskRoutes(this.router);
    jobRoutes(this.router);
    accessRoutes(this.router);
    this.router.finish();
    this.harness.app.put("/_sim/proxmox/task-faults", async (c) => {
      const fault = (await c.req.json()) as TaskFault;
      this.injectTaskFault(fault);
      return c.json({ queued: fault });
    });
  }

  get clock(): SimClock {
    return this.state.clock;
  }

  get clusterName(): string {
    return this.state.clusterName;
  }

  get access(): AccessControl {
    return this.state.access;
  }

  /** Endpoints served, with their parameter declarations (for the schema conformance test). */
  routes(): readonly EndpointDecl[] {
    return this.router.served;
  }

  /** Applies the effects of every task whose end time has passed (requests do this on their own). */
  settle(): void {
    this.state.settle();
  }

  nodeNames(): string[] {
    return [...this.state.nodes.keys()];
  }

  node(name: string): SimNode | undefined {
    return this.state.nodes.get(name);
  }

  guest(vmid: number): Guest | undefined {
    this.settle();
    return this.state.guests.get(vmid);
  }

  guests(node?: string): Guest[] {
    this.settle();
    return node === undefined ? [...this.state.guests.values()] : [...this.state.guestsOn(node)];
  }

  task(upid: string): Task | undefined {
    this.settle();
    return this.state.tasks.get(upid);
  }

  tasks(node: string): readonly Task[] {
    this.settle();
    return this.state.tasks.onNode(node);
  }

  pools(): ReadonlyMap<string, Pool> {
    return this.state.pools;
  }

  backupJobs(): ReadonlyMap<string, JobConfig> {
    return this.state.backupJobs;
  }

  replicationJobs(): ReadonlyMap<string, JobConfig> {
    return this.state.replicationJobs;
  }

  /** Forces the outcome of the next task matching `type`/`id`: an error, or `WARNINGS: n`. */
  injectTaskFault(fault: TaskFault): void {
    this.state.tasks.injectFault(fault);
  }
}

export function createProxmoxSim(options: ProxmoxSimOptions = {}): ProxmoxSim {
  return new ProxmoxSim(options);
}

export type { Guest, SimNode, Task, TaskFault };
