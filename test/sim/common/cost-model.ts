/**
 * A server cost model, not just delays. Each simulated server has a fixed number of workers (Proxmox's pveproxy
 * has 3 per node, NetBox 4 in the benchmarks, a RouterOS router serialises each user's requests); a request
 * occupies a worker for `base + reads × perRead + writes × perWrite` ms, and requests beyond the workers queue.
 * Because busy time is accounted exactly, the simulator can state the floor: the least time any client could
 * need for the requests it sent (total busy time spread over all workers, and no less than the longest single
 * request). No client can beat the floor by unbounded parallelism.
 */
export interface CostModelSettings {
  enabled: boolean;
  /** Workers per queue key (per server, or per user for RouterOS). */
  workers: number;
  baseLatencyMs: number;
  perObjectReadMs: number;
  perObjectWriteMs: number;
}

export const COST_MODEL_OFF: CostModelSettings = { enabled: false, workers: 1, baseLatencyMs: 0, perObjectReadMs: 0, perObjectWriteMs: 0 };

/** Benchmark defaults from the issue: 20 ms base everywhere, NetBox 5 ms per object written and 2 ms per object read. */
export const BENCHMARK_COSTS = {
  proxmox: { enabled: true, workers: 3, baseLatencyMs: 20, perObjectReadMs: 0, perObjectWriteMs: 0 },
  netbox: { enabled: true, workers: 4, baseLatencyMs: 20, perObjectReadMs: 2, perObjectWriteMs: 5 },
  routeros: { enabled: true, workers: 1, baseLatencyMs: 20, perObjectReadMs: 0, perObjectWriteMs: 0 },
} satisfies Record<string, CostModelSettings>;

export interface ObjectCounts {
  reads: number;
  writes: number;
}

class WorkerPool {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  busyMs = 0;
  longestMs = 0;

  constructor(private readonly workers: () => number) {}

  async acquire(): Promise<void> {
    if (this.active < this.workers()) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

export interface CostStats {
  enabled: boolean;
  workers: number;
  /** Sum of modelled busy time over all queue keys. */
  busy_ms: number;
  /** The least wall time any client could need for the requests served since the last reset. */
  floor_ms: number;
}

export class CostModel {
  settings: CostModelSettings;
  private pools = new Map<string, WorkerPool>();

  constructor(settings: CostModelSettings = COST_MODEL_OFF) {
    this.settings = { ...settings };
  }

  configure(patch: Partial<CostModelSettings>): CostModelSettings {
    this.settings = { ...this.settings, ...patch };
    return this.settings;
  }

  costOf(counts: ObjectCounts): number {
    const s = this.settings;
    return s.baseLatencyMs + counts.reads * s.perObjectReadMs + counts.writes * s.perObjectWriteMs;
  }

  private pool(key: string): WorkerPool {
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new WorkerPool(() => this.settings.workers);
      this.pools.set(key, pool);
    }
    return pool;
  }

  /**
   * Runs `handle` inside a worker of queue `key` and holds the worker until the modelled cost has elapsed.
   * `handle` returns the object counts of the request (known only after it ran).
   */
  async serve<T>(key: string, handle: () => Promise<{ result: T; counts: ObjectCounts }>): Promise<T> {
    if (!this.settings.enabled) return (await handle()).result;
    const pool = this.pool(key);
    await pool.acquire();
    const started = performance.now();
    try {
      const { result, counts } = await handle();
      const cost = this.costOf(counts);
      pool.busyMs += cost;
      pool.longestMs = Math.max(pool.longestMs, cost);
      const remaining = cost - (performance.now() - started);
      if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
      return result;
    } finally {
      pool.release();
    }
  }

  stats(): CostStats {
    let busy = 0;
    let floor = 0;
    for (const pool of this.pools.values()) {
      busy += pool.busyMs;
      floor = Math.max(floor, pool.busyMs / this.settings.workers, pool.longestMs);
    }
    return { enabled: this.settings.enabled, workers: this.settings.workers, busy_ms: round(busy), floor_ms: round(floor) };
  }

  resetStats(): void {
    for (const pool of this.pools.values()) {
      pool.busyMs = 0;
      pool.longestMs = 0;
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
