import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import worker from "../../src/index";
import { DEAD_LETTER_QUEUE, POLL_QUEUE, registerQueueJob, retryDelaySeconds } from "../../src/jobs/queue";
import { setLogSink, type LogSink } from "../../src/logging";

const seen: unknown[] = [];
registerQueueJob("test.echo", z.object({ type: z.literal("test.echo"), n: z.number() }), async (body) => {
  if (body.n < 0) throw new Error("negative");
  seen.push(body.n);
});

let restore: LogSink | undefined;
afterEach(() => restore && setLogSink(restore));

const msg = (id: string, body: unknown, attempts = 1) => ({ id, timestamp: new Date(), attempts, body });

describe("queue consumer", () => {
  it("runs valid jobs and acknowledges them", async () => {
    const batch = createMessageBatch(POLL_QUEUE, [msg("a", { type: "test.echo", n: 1 }), msg("b", { type: "test.echo", n: 2 })]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["a", "b"]);
    expect(seen).toEqual([1, 2]);
  });

  it("acknowledges and logs invalid messages instead of retrying them forever", async () => {
    const lines: string[] = [];
    restore = setLogSink((l) => lines.push(l));
    const batch = createMessageBatch(POLL_QUEUE, [msg("x", { type: "unknown.job" }), msg("y", "garbage"), msg("z", { type: "test.echo", n: "1" })]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["x", "y", "z"]);
    expect(lines.filter((l) => l.includes("queue_message_invalid"))).toHaveLength(3);
  });

  it("retries a failing job with exponential backoff", async () => {
    const batch = createMessageBatch(POLL_QUEUE, [msg("f", { type: "test.echo", n: -1 }, 3)]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["f"]);
    expect(result.explicitAcks).toEqual([]);
    expect(retryDelaySeconds(3)).toBe(120);
    expect(retryDelaySeconds(20)).toBe(3600);
  });

  it("records dead letters in the log, never dropping them silently", async () => {
    const lines: string[] = [];
    restore = setLogSink((l) => lines.push(l));
    const batch = createMessageBatch(DEAD_LETTER_QUEUE, [msg("d", { type: "test.echo", n: 9 }, 6)]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["d"]);
    const entry = JSON.parse(lines.find((l) => l.includes("dead_letter"))!);
    expect(entry).toMatchObject({ level: "error", message_id: "d", attempts: 6, body: { type: "test.echo", n: 9 } });
  });
});
