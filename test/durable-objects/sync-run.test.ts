import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { registerStage } from "../../src/sync/stage-registry";
import type { SyncRun } from "../../src/sync/sync-run";

let failuresLeft = 0;
registerStage("test-count", async (ctx) => {
  const done = ((ctx.checkpoint as number | null) ?? 0) + 1;
  ctx.saveCheckpoint(done);
  return { done: done === 3, progress: { done } };
});
registerStage("test-flaky", async () => {
  if (failuresLeft-- > 0) throw new Error("upstream hiccup");
  return { done: true };
});

const stub = (name: string) => env.SYNC_RUN.get(env.SYNC_RUN.idFromName(name)) as DurableObjectStub<SyncRun>;

/** Runs due and future alarms at once (backoff included) until the run has finished. */
async function drain(s: DurableObjectStub<SyncRun>): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await s.snapshot()).run?.status !== "running") return;
    if (!(await runDurableObjectAlarm(s))) await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("the run did not finish");
}

async function readEvents(res: Response): Promise<Array<{ id: number; event: string; data: any }>> {
  const text = await res.text();
  return text
    .split("\n\n")
    .filter((f) => f.startsWith("id: "))
    .map((frame) => {
      const lines = Object.fromEntries(frame.split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]));
      return { id: Number(lines.id), event: lines.event!, data: JSON.parse(lines.data!) };
    });
}

describe("SyncRun", () => {
  it("advances one step per alarm, checkpointing, until every stage is done", async () => {
    const run = stub("run-1");
    expect(await run.start("run-1", ["test-count"])).toEqual({ status: "running" });
    await drain(run);
    const snapshot = await run.snapshot();
    expect(snapshot.run).toMatchObject({ id: "run-1", status: "succeeded" });
    expect(snapshot.stages[0]).toMatchObject({ name: "test-count", status: "succeeded", checkpoint: "3" });
  });

  it("streams events as SSE with ids, and replays after Last-Event-ID", async () => {
    const run = stub("run-2");
    await run.start("run-2", ["test-count"]);
    await drain(run);
    const all = await readEvents(await run.fetch("http://run/events"));
    expect(all.map((e) => e.event)).toEqual(["run_started", "stage_started", "stage_progress", "stage_progress", "stage_progress", "stage_finished", "run_finished"]);
    expect(all.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const resumed = await readEvents(await run.fetch("http://run/events", { headers: { "last-event-id": "5" } }));
    expect(resumed.map((e) => e.id)).toEqual([6, 7]);
  });

  it("retries a failing step with backoff, then fails the run after too many attempts", async () => {
    failuresLeft = 2;
    const ok = stub("run-3");
    await ok.start("run-3", ["test-flaky"]);
    await drain(ok);
    expect((await ok.snapshot()).run?.status).toBe("succeeded");

    failuresLeft = 99;
    const bad = stub("run-4");
    await bad.start("run-4", ["test-flaky"]);
    await drain(bad);
    const snapshot = await bad.snapshot();
    expect(snapshot.run?.status).toBe("failed");
    expect(snapshot.stages[0]).toMatchObject({ status: "failed", error: "upstream hiccup" });
  });

  it("is idempotent to start and refuses unknown stages", async () => {
    const run = stub("run-5");
    await run.start("run-5", ["test-count"]);
    expect((await run.start("run-5", ["test-count"])).status).toMatch(/running|succeeded/);
    await drain(run);
    const events = await runInDurableObject(run, (_instance, state) => state.storage.sql.exec("SELECT type FROM events WHERE type = 'run_started'").toArray());
    expect(events).toHaveLength(1);
    expect(await stub("run-6").start("run-6", ["no-such-stage"])).toEqual({ status: "rejected", error: "unknown sync stages: no-such-stage" });
    expect((await stub("run-6").snapshot()).run).toBeNull();
  });
});
