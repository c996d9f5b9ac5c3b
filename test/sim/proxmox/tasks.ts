/**
 * Worker tasks with real UPIDs. A task runs from its start until `start + duration` on the simulated clock; its
 * effect (VM created, started, destroyed…) is applied when the clock passes its end, lazily on the next request
 * (`settle`). Errors found inside the worker surface only in `exitstatus`, as on a real node.
 */
import type { SimClock } from "../common/clock";

export interface TaskOutcome {
  error?: string;
  warnings?: string[];
  log?: string[];
}

export interface TaskSpec {
  node: string;
  type: string;
  id: string;
  user: string;
  /** Log lines known when the task starts. */
  log?: string[];
  /** Applied when the task ends; returns an error to fail the task. */
  run?: () => TaskOutcome | void;
  /** Undo for a task that fails or is stopped (e.g. remove a half-created VM). */
  onFailure?: () => void;
}

export interface Task {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  endsAt: number;
  status: "running" | "stopped";
  exitstatus?: string;
  endtime?: number;
  log: string[];
  spec: TaskSpec;
}

/** An outcome forced on the next matching task (fault injection). */
export interface TaskFault {
  type?: string;
  id?: string;
  error?: string;
  warnings?: number;
}

export const DEFAULT_TASK_DURATIONS: Record<string, number> = {
  qmcreate: 3000,
  qmrestore: 6000,
  qmclone: 5000,
  qmconfig: 300,
  qmstart: 1500,
  qmstop: 500,
  qmshutdown: 4000,
  qmreboot: 5000,
  qmreset: 200,
  qmdestroy: 1000,
  qmsnapshot: 2000,
  qmdelsnapshot: 1000,
  qmrollback: 2000,
  vzcreate: 5000,
  vzrestore: 6000,
  vzstart: 1000,
  vzstop: 500,
  vzshutdown: 3000,
  vzreboot: 4000,
  vzdestroy: 1000,
  vzsnapshot: 2000,
  vzdelsnapshot: 1000,
  vzrollback: 2000,
  vzdump: 8000,
};

const UPID_RE = /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

export function decodeUpid(upid: string): { node: string; pid: number; pstart: number; starttime: number; type: string; id: string; user: string } | undefined {
  const m = UPID_RE.exec(upid);
  if (!m) return undefined;
  return { node: m[1]!, pid: parseInt(m[3]!, 16), pstart: parseInt(m[4]!, 16), starttime: parseInt(m[5]!, 16), type: m[6]!, id: m[7]!, user: m[8]! };
}

const hex8 = (n: number) => n.toString(16).toUpperCase().padStart(8, "0");

export class TaskManager {
  private readonly byUpid = new Map<string, Task>();
  private readonly byNode = new Map<string, Task[]>();
  private running: Task[] = [];
  private readonly faults: TaskFault[] = [];

  constructor(
    private readonly clock: SimClock,
    private readonly durations: Record<string, number>,
    private readonly nodeInfo: (node: string) => { nextPid: () => number; bootedAt: number },
  ) {}

  start(spec: TaskSpec): Task {
    const now = this.clock.now();
    const info = this.nodeInfo(spec.node);
    const pid = info.nextPid();
    // pstart is the process start in clock ticks (100 Hz) since boot.
    const pstart = Math.floor((now - info.bootedAt) / 10);
    const starttime = Math.floor(now / 1000);
    const upid = `UPID:${spec.node}:${hex8(pid)}:${hex8(pstart)}:${hex8(starttime)}:${spec.type}:${spec.id}:${spec.user}:`;
    const task: Task = {
      upid,
      node: spec.node,
      pid,
      pstart,
      starttime,
      type: spec.type,
      id: spec.id,
      user: spec.user,
      endsAt: now + (this.durations[spec.type] ?? 1000),
      status: "running",
      log: [...(spec.log ?? [])],
      spec,
    };
    this.byUpid.set(upid, task);
    const list = this.byNode.get(spec.node) ?? [];
    list.push(task);
    this.byNode.set(spec.node, list);
    this.running.push(task);
    return task;
  }

  get(upid: string): Task | undefined {
    return this.byUpid.get(upid);
  }

  onNode(node: string): readonly Task[] {
    return this.byNode.get(node) ?? [];
  }

  injectFault(fault: TaskFault): void {
    this.faults.push(fault);
  }

  /** Finishes every task whose end has passed, in end order, applying its effect. */
  settle(): void {
    if (this.running.length === 0) return;
    const now = this.clock.now();
    const due = this.running.filter((t) => t.endsAt <= now).sort((a, b) => a.endsAt - b.endsAt);
    if (due.length === 0) return;
    this.running = this.running.filter((t) => t.endsAt > now);
    for (const task of due) this.finish(task);
  }

  /** `DELETE …/tasks/{upid}`: the worker is killed and fails with PVE's interrupt message. */
  stop(task: Task): void {
    if (task.status !== "running") return;
    this.running = this.running.filter((t) => t !== task);
    task.spec.onFailure?.();
    this.close(task, "received interrupt", this.clock.now());
  }

  private finish(task: Task): void {
    const faultIndex = this.faults.findIndex((f) => (f.type === undefined || f.type === task.type) && (f.id === undefined || f.id === task.id));
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0] : undefined;
    if (fault?.error) {
      task.spec.onFailure?.();
      this.close(task, fault.error, task.endsAt);
      return;
    }
    let outcome: TaskOutcome = {};
    try {
      outcome = task.spec.run?.() ?? {};
    } catch (err) {
      outcome = { error: err instanceof Error ? err.message : String(err) };
    }
    task.log.push(...(outcome.log ?? []));
    if (outcome.error) {
      task.spec.onFailure?.();
      this.close(task, outcome.error, task.endsAt);
      return;
    }
    const warnings = [...(outcome.warnings ?? [])];
    for (let i = 0; i < (fault?.warnings ?? 0); i++) warnings.push(`simulated warning ${i + 1}`);
    task.log.push(...warnings.map((w) => `WARN: ${w}`));
    this.close(task, warnings.length > 0 ? `WARNINGS: ${warnings.length}` : "OK", task.endsAt);
  }

  private close(task: Task, exitstatus: string, endedAt: number): void {
    task.status = "stopped";
    task.exitstatus = exitstatus;
    task.endtime = Math.floor(endedAt / 1000);
    task.log.push(exitstatus === "OK" ? "TASK OK" : exitstatus.startsWith("WARNINGS: ") ? `TASK ${exitstatus}` : `TASK ERROR: ${exitstatus}`);
  }
}
