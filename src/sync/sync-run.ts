import { DurableObject } from "cloudflare:workers";
import type { AppBindings } from "../env";
import { SseLog } from "../events/sse-log";
import { stageHandler } from "./stage-registry";

type RunStatus = "pending" | "running" | "succeeded" | "failed";

interface StageRow {
  idx: number;
  name: string;
  status: "pending" | "running" | "succeeded" | "failed";
  attempts: number;
  checkpoint: string | null;
  error: string | null;
}

const MAX_STAGE_ATTEMPTS = 5;

/**
 * One per sync run: owns the run's stage state and event log and streams it to every watcher. Work advances one
 * bounded step per alarm (each a fresh invocation with its own budgets), checkpointing after every step, so a
 * run survives eviction and redeploys and resumes where it stopped.
 */
export class SyncRun extends DurableObject<AppBindings> {
  private readonly log: SseLog;
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: AppBindings) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.log = new SseLog(this.sql);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS run (id TEXT PRIMARY KEY, status TEXT NOT NULL, started_at INTEGER, finished_at INTEGER)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS stages (
      idx INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      checkpoint TEXT, error TEXT)`);
  }

  /** Starts the run once; a second call with the same id is a no-op, so callers may retry safely. */
  async start(runId: string, stageNames: string[]): Promise<{ status: RunStatus } | { status: "rejected"; error: string }> {
    const existing = this.sql.exec<{ status: RunStatus }>("SELECT status FROM run WHERE id = ?", runId).toArray()[0];
    if (existing) return { status: existing.status };
    const unknown = stageNames.filter((name) => !stageHandler(name));
    if (unknown.length > 0) return { status: "rejected", error: `unknown sync stages: ${unknown.join(", ")}` };
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("INSERT INTO run (id, status, started_at) VALUES (?, 'running', ?)", runId, Date.now());
      stageNames.forEach((name, idx) => this.sql.exec("INSERT INTO stages (idx, name, status) VALUES (?, ?, 'pending')", idx, name));
    });
    this.log.append("run_started", { run_id: runId, stages: stageNames });
    await this.ctx.storage.setAlarm(Date.now());
    return { status: "running" };
  }

  snapshot(): { run: { id: string; status: RunStatus } | null; stages: StageRow[] } {
    const run = this.sql.exec<{ id: string; status: RunStatus }>("SELECT id, status FROM run").toArray()[0] ?? null;
    return { run, stages: this.sql.exec<StageRow & Record<string, SqlStorageValue>>("SELECT * FROM stages ORDER BY idx").toArray() };
  }

  override async fetch(request: Request): Promise<Response> {
    const run = this.snapshot().run;
    return this.log.subscribe(request, { closeAfterReplay: run !== null && run.status !== "running" });
  }

  override async alarm(): Promise<void> {
    const run = this.snapshot().run;
    if (!run || run.status !== "running") return;
    const stage = this.sql
      .exec<StageRow & Record<string, SqlStorageValue>>("SELECT * FROM stages WHERE status IN ('pending', 'running') ORDER BY idx LIMIT 1")
      .toArray()[0];
    if (!stage) return this.finish(run.id, "succeeded");
    const handler = stageHandler(stage.name);
    if (!handler) return this.failStage(run.id, stage, `stage ${stage.name} is not registered`);
    if (stage.status === "pending") {
      this.sql.exec("UPDATE stages SET status = 'running' WHERE idx = ?", stage.idx);
      this.log.append("stage_started", { stage: stage.name });
    }
    try {
      let checkpoint: unknown = stage.checkpoint === null ? null : JSON.parse(stage.checkpoint);
      const step = await handler({
        runId: run.id,
        stage: stage.name,
        checkpoint,
        saveCheckpoint: (value) => {
          checkpoint = value;
        },
      });
      this.sql.exec("UPDATE stages SET checkpoint = ?, attempts = 0 WHERE idx = ?", JSON.stringify(checkpoint ?? null), stage.idx);
      if (step.progress) this.log.append("stage_progress", { stage: stage.name, ...step.progress });
      if (step.done) {
        this.sql.exec("UPDATE stages SET status = 'succeeded' WHERE idx = ?", stage.idx);
        this.log.append("stage_finished", { stage: stage.name, status: "succeeded" });
      }
      await this.ctx.storage.setAlarm(Date.now());
    } catch (err) {
      const attempts = stage.attempts + 1;
      const message = err instanceof Error ? err.message : String(err);
      if (attempts >= MAX_STAGE_ATTEMPTS) return this.failStage(run.id, stage, message);
      this.sql.exec("UPDATE stages SET attempts = ?, error = ? WHERE idx = ?", attempts, message, stage.idx);
      this.log.append("stage_retry", { stage: stage.name, attempt: attempts, error: message });
      await this.ctx.storage.setAlarm(Date.now() + 1000 * 2 ** attempts);
    }
  }

  private async failStage(runId: string, stage: StageRow, error: string): Promise<void> {
    this.sql.exec("UPDATE stages SET status = 'failed', error = ? WHERE idx = ?", error, stage.idx);
    this.log.append("stage_finished", { stage: stage.name, status: "failed", error });
    await this.finish(runId, "failed");
  }

  private async finish(runId: string, status: RunStatus): Promise<void> {
    this.sql.exec("UPDATE run SET status = ?, finished_at = ? WHERE id = ?", status, Date.now(), runId);
    this.log.append("run_finished", { run_id: runId, status });
    this.log.closeAll();
  }
}
