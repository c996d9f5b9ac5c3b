/**
 * Fault injection, set at runtime through `PUT /_sim/faults`: extra latency with jitter, a share of requests
 * answered with an error status, a share that hang past any sane client timeout, and a share whose connection
 * is dropped without an answer.
 */
import { Rng } from "./rng";

export interface FaultSettings {
  latencyMs: number;
  jitterMs: number;
  errorRate: number;
  errorStatus: number;
  timeoutRate: number;
  /** How long a "timed out" request hangs before it is finally dropped. */
  hangMs: number;
  dropRate: number;
  /** Only requests whose path starts with this prefix are affected (empty: all). */
  pathPrefix: string;
}

export const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  errorStatus: 500,
  timeoutRate: 0,
  hangMs: 120_000,
  dropRate: 0,
  pathPrefix: "",
};

/** Thrown by a simulator to make the transport layer cut the connection without a response. */
export class SimulatedDrop extends Error {
  constructor() {
    super("simulated dropped connection");
    this.name = "SimulatedDrop";
  }
}

export type FaultDecision = { kind: "none" } | { kind: "error"; status: number } | { kind: "hang"; ms: number } | { kind: "drop" };

export class Faults {
  settings: FaultSettings = { ...NO_FAULTS };
  private readonly rng: Rng;

  constructor(seed = 1) {
    this.rng = new Rng(seed);
  }

  configure(patch: Partial<FaultSettings>): FaultSettings {
    const next = { ...this.settings, ...patch };
    for (const key of ["errorRate", "timeoutRate", "dropRate"] as const) {
      if (!(next[key] >= 0 && next[key] <= 1)) throw new RangeError(`${key} must be between 0 and 1`);
    }
    if (!(next.latencyMs >= 0) || !(next.jitterMs >= 0)) throw new RangeError("latencyMs and jitterMs must be >= 0");
    if (!(next.errorStatus >= 400 && next.errorStatus <= 599)) throw new RangeError("errorStatus must be 4xx or 5xx");
    this.settings = next;
    return next;
  }

  reset(): void {
    this.settings = { ...NO_FAULTS };
  }

  latency(): number {
    const { latencyMs, jitterMs } = this.settings;
    if (latencyMs === 0 && jitterMs === 0) return 0;
    return Math.max(0, latencyMs + (this.rng.next() * 2 - 1) * jitterMs);
  }

  decide(path: string): FaultDecision {
    const s = this.settings;
    if (s.pathPrefix && !path.startsWith(s.pathPrefix)) return { kind: "none" };
    if (s.dropRate > 0 && this.rng.chance(s.dropRate)) return { kind: "drop" };
    if (s.timeoutRate > 0 && this.rng.chance(s.timeoutRate)) return { kind: "hang", ms: s.hangMs };
    if (s.errorRate > 0 && this.rng.chance(s.errorRate)) return { kind: "error", status: s.errorStatus };
    return { kind: "none" };
  }
}
