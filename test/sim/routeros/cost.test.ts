/**
 * Per-user serialisation with the cost model on: one user's requests queue behind each other, different users
 * run in parallel (RouterOS REST, spec §3.1). Real timers with a small base latency and generous tolerances.
 */
import { describe, expect, it } from "vitest";
import { createRouterFleet } from "./index";
import { rest } from "./testing";

const BASE_MS = 40;

function router() {
  return createRouterFleet({ routers: 1, seed: 2, cost: { enabled: true, workers: 1, baseLatencyMs: BASE_MS, perObjectReadMs: 0, perObjectWriteMs: 0 } }).routers[0]!;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await run();
  return Date.now() - started;
}

describe("RouterOS per-user serialisation", () => {
  it("queues two requests of one user behind each other (2× base)", async () => {
    const r = router();
    const elapsed = await timed(() => Promise.all([rest(r, "GET", "/system/resource"), rest(r, "GET", "/interface")]));
    expect(elapsed).toBeGreaterThanOrEqual(2 * BASE_MS - 5);
  });

  it("runs two users' requests in parallel (1× base)", async () => {
    const r = router();
    const elapsed = await timed(() => Promise.all([rest(r, "GET", "/system/resource", { as: "admin" }), rest(r, "GET", "/system/resource", { as: "poll" })]));
    expect(elapsed).toBeGreaterThanOrEqual(BASE_MS - 5);
    expect(elapsed).toBeLessThan(2 * BASE_MS - 5);
    expect(r.harness.stats().cost.floor_ms).toBe(BASE_MS);
  });

  it("lets a long-running command block only its own user", async () => {
    const r = createRouterFleet({ routers: 1, seed: 2, cost: { enabled: true, workers: 1, baseLatencyMs: 1, perObjectReadMs: 0, perObjectWriteMs: 0 } }).routers[0]!;
    const started = Date.now();
    const slow = rest(r, "POST", "/execute", { json: { script: ":delay 1s", "as-string": "" } });
    const otherUser = rest(r, "GET", "/system/resource", { as: "poll" }).then(() => Date.now() - started);
    const sameUser = rest(r, "GET", "/system/resource").then(() => Date.now() - started);
    expect(await otherUser).toBeLessThan(500);
    expect(await sameUser).toBeGreaterThanOrEqual(950);
    expect((await slow).body).toEqual({ ret: "" });
  });
});
