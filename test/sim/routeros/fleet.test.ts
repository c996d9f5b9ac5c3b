/** The fleet: deterministic per seed, a realistic mix, each router its own server, and fast to build at 500. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../common/clock";
import { createRouterFleet, type RouterFleet } from "./index";
import { rest } from "./testing";

const START = Date.UTC(2026, 5, 1, 12, 0, 0);

async function snapshot(fleet: RouterFleet): Promise<string> {
  const out = [];
  for (const r of fleet.routers) {
    out.push([
      r.name,
      r.users,
      (await rest(r, "GET", "/system/resource")).body,
      (await rest(r, "GET", "/interface")).body,
      (await rest(r, "GET", "/ip/address")).body,
      r.exportText({ showSensitive: true }),
    ]);
  }
  return JSON.stringify(out);
}

describe("RouterOS fleet", () => {
  it("builds the same routers from the same seed and different ones from another seed", async () => {
    const a = createRouterFleet({ routers: 8, seed: 42, clock: new SimClock("manual", START) });
    const b = createRouterFleet({ routers: 8, seed: 42, clock: new SimClock("manual", START) });
    const c = createRouterFleet({ routers: 8, seed: 43, clock: new SimClock("manual", START) });
    expect(await snapshot(a)).toBe(await snapshot(b));
    expect(await snapshot(a)).not.toBe(await snapshot(c));
  });

  it("names routers rtr-001… with matching identities and distinct credentials", async () => {
    const fleet = createRouterFleet({ routers: 12, seed: 1, clock: new SimClock("manual", START) });
    expect(fleet.routers.map((r) => r.name).slice(0, 3)).toEqual(["rtr-001", "rtr-002", "rtr-003"]);
    expect(fleet.get("rtr-012")?.identity).toBe("rtr-012");
    expect(fleet.get("rtr-013")).toBeUndefined();
    expect(new Set(fleet.routers.map((r) => r.users.poll.password)).size).toBe(12);
    expect((await rest(fleet.routers[1]!, "GET", "/system/identity", { as: fleet.routers[0]!.users.admin })).status).toBe(401);
  });

  it("mixes RouterBOARD models and CHR, RouterOS versions of both date styles, and interface kinds", () => {
    const fleet = createRouterFleet({ routers: 60, seed: 9, clock: new SimClock("manual", START) });
    const boards = new Set(fleet.routers.map((r) => r.boardName));
    expect(boards.has("CHR")).toBe(true);
    expect([...boards].filter((b) => b !== "CHR").length).toBeGreaterThanOrEqual(3);
    const minors = fleet.routers.map((r) => Number(r.version.split(".")[1]));
    expect(minors.some((m) => m <= 9) && minors.some((m) => m >= 10)).toBe(true);
    const names = fleet.routers.flatMap((r) => r.interfaceNames());
    for (const prefix of ["ether", "bridge", "vlan", "wg", "wifi", "sfp"]) expect(names.some((n) => n.startsWith(prefix)), prefix).toBe(true);
    expect(fleet.routers.every((r) => r.isChr === (r.serialNumber === undefined))).toBe(true);
  });

  it("gives every router its own harness: faults and counters do not leak", async () => {
    const fleet = createRouterFleet({ routers: 2, seed: 1, clock: new SimClock("manual", START) });
    const [one, two] = fleet.routers as [RouterFleet["routers"][number], RouterFleet["routers"][number]];
    await one.fetch(new Request("http://x/_sim/faults", { method: "PUT", body: JSON.stringify({ dropRate: 1 }) }));
    await expect(rest(one, "GET", "/system/resource")).rejects.toThrow("Network connection lost.");
    expect((await rest(two, "GET", "/interface/ether1")).status).toBe(200);
    expect((await rest(two, "GET", "/interface/ether2")).status).toBe(200);
    expect(two.harness.stats().requests).toEqual({ "GET /rest/interface/{id}": 2 });
    expect(one.harness.stats().total).toBe(0);
  });

  it("builds 500 routers quickly", () => {
    const started = performance.now();
    const fleet = createRouterFleet({ routers: 500, seed: 7 });
    expect(fleet.routers).toHaveLength(500);
    expect(fleet.get("rtr-500")?.name).toBe("rtr-500");
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
