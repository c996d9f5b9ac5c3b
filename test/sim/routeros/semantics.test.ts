/** What RouterOS REST returns: string values, proplist and query semantics, counters and values that follow the clock. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../common/clock";
import { createRouterFleet, type RouterSim } from "./index";
import { rest } from "./testing";

function lab() {
  const clock = new SimClock("manual");
  const fleet = createRouterFleet({ routers: 24, seed: 5, clock });
  const pick = (test: (r: RouterSim) => boolean) => {
    const found = fleet.routers.find(test);
    if (!found) throw new Error("the lab seed has no such router");
    return found;
  };
  const rb = pick((r) => !r.isChr && r.interfaceNames().includes("wg0") && r.interfaceNames().some((n) => n.startsWith("vlan")));
  return { clock, fleet, rb, pick };
}

function allStrings(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(allStrings);
  if (value !== null && typeof value === "object") return Object.values(value).every(allStrings);
  return typeof value === "string";
}

describe("RouterOS REST replies", () => {
  it("carries every value as a string", async () => {
    const { rb } = lab();
    for (const path of ["/system/resource", "/system/routerboard", "/system/identity", "/system/health", "/interface", "/interface/vlan", "/ip/address", "/ip/route", "/ip/firewall/filter", "/ip/dns", "/system/package", "/system/package/update", "/file"]) {
      const r = await rest(rb, "GET", path);
      expect(r.status, path).toBe(200);
      expect(allStrings(r.body), path).toBe(true);
    }
    const traffic = await rest(rb, "POST", "/interface/monitor-traffic", { json: { interface: "ether1", once: "" } });
    expect(allStrings(traffic.body)).toBe(true);
  });

  it("returns one object for singletons and lists with ids for list menus", async () => {
    const { rb } = lab();
    const resource = (await rest(rb, "GET", "/system/resource")).body;
    expect(Array.isArray(resource)).toBe(false);
    expect(resource.version).toBe(`${rb.version} (stable)`);
    expect(resource.uptime).toMatch(/^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/);
    expect(Number(resource["cpu-load"])).toBeGreaterThanOrEqual(0);
    const interfaces = (await rest(rb, "GET", "/interface")).body;
    expect(interfaces.every((i: { ".id": string }) => /^\*[0-9A-F]+$/.test(i[".id"]))).toBe(true);
    const health = (await rest(rb, "GET", "/system/health")).body;
    expect(health.every((h: Record<string, string>) => Object.keys(h).sort().join() === ".id,name,type,value")).toBe(true);
  });

  it("limits fields with .proplist, always keeps .id on list GETs, and filters by exact match", async () => {
    const { rb } = lab();
    expect((await rest(rb, "GET", "/system/resource", { query: { ".proplist": "uptime,version" } })).body).toEqual({ uptime: expect.any(String), version: expect.any(String) });
    const ethers = (await rest(rb, "GET", "/interface", { query: { ".proplist": "name,running", type: "ether", running: "true" } })).body;
    expect(ethers.length).toBeGreaterThan(0);
    expect(ethers.every((i: Record<string, string>) => Object.keys(i).join() === ".id,name,running" && i.running === "true")).toBe(true);
    expect((await rest(rb, "GET", "/interface", { query: { running: "yes", type: "ether" } })).body.length).toBe(ethers.length);
    expect((await rest(rb, "GET", "/interface", { query: { type: "nope" } })).body).toEqual([]);
    // `.query` in the URL is not a query: it filters on a property that no record has.
    expect((await rest(rb, "GET", "/interface", { query: { ".query": "type=ether" } })).body).toEqual([]);
    expect((await rest(rb, "GET", "/interface/ether1", { query: { ".proplist": "name,type" } })).body).toEqual({ name: "ether1", type: "ether" });
  });

  it("evaluates POST print .query words on a stack, with proplist as a string or a list, and count-only", async () => {
    const { rb } = lab();
    const all = (await rest(rb, "GET", "/interface")).body as Array<Record<string, string>>;
    const byType = (...types: string[]) => all.filter((i) => types.includes(i.type!)).map((i) => i.name);
    const print = async (body: unknown) => (await rest(rb, "POST", "/interface/print", { json: body })).body;
    expect((await print({ ".query": ["type=ether", "type=vlan", "#|"], ".proplist": "name" })).map((i: { name: string }) => i.name)).toEqual(byType("ether", "vlan"));
    expect((await print({ ".query": ["type=ether", "#!"], ".proplist": ["name"] })).map((i: { name: string }) => i.name)).toEqual(byType("bridge", "vlan", "wg"));
    expect(await print({ ".query": ["type=ether", "running=true"], ".proplist": "name,type" })).toEqual(
      all.filter((i) => i.type === "ether" && i.running === "true").map((i) => ({ name: i.name, type: "ether" })),
    );
    expect((await print({ ".query": ["comment"], ".proplist": "name" })).map((i: { name: string }) => i.name)).toEqual(all.filter((i) => i.comment !== undefined).map((i) => i.name));
    expect((await print({ ".query": ["-comment", "type=bridge"], ".proplist": "name" })).length).toBe(all.filter((i) => i.comment === undefined && i.type === "bridge").length);
    expect(await print({ ".query": [">mtu=1499", "type=ether", "#&"], "count-only": "" })).toEqual({ ret: String(byType("ether").length) });
    expect(await print({ "count-only": "" })).toEqual({ ret: String(all.length) });
    expect((await rest(rb, "POST", "/interface/print", { json: { ".query": ["#x"] } })).body.detail).toBe("invalid value for argument .query");
  });

  it("adds with PUT (201, record, Location), sets with PATCH (whole record), addresses items by name", async () => {
    const { rb } = lab();
    const put = await rest(rb, "PUT", "/interface/vlan", { json: { name: "vlan999", "vlan-id": 999, interface: "ether1", comment: "test" } });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ name: "vlan999", "vlan-id": "999", interface: "ether1", comment: "test", disabled: "false" });
    expect(put.headers.get("location")).toBe(`/rest/interface/vlan/${put.body[".id"]}`);
    expect((await rest(rb, "GET", "/interface/vlan999")).body).toMatchObject({ ".id": put.body[".id"], type: "vlan" });
    const patched = await rest(rb, "PATCH", "/interface/vlan/vlan999", { json: { comment: "changed" } });
    expect([patched.status, patched.body.comment, patched.body["vlan-id"]]).toEqual([200, "changed", "999"]);
    const added = await rest(rb, "POST", "/ip/address/add", { json: { address: "192.0.2.1/24", interface: "vlan999" } });
    expect(added.body.ret).toMatch(/^\*[0-9A-F]+$/);
    expect((await rest(rb, "GET", `/ip/address/${added.body.ret}`)).body).toMatchObject({ network: "192.0.2.0", "actual-interface": "vlan999", invalid: "false" });
    expect((await rest(rb, "DELETE", "/interface/vlan/vlan999")).status).toBe(204);
    expect((await rest(rb, "GET", `/ip/address/${added.body.ret}`)).body.invalid).toBe("true");
  });

  it("renames an interface everywhere it is referenced", async () => {
    const { rb } = lab();
    await rest(rb, "PATCH", "/interface/ether1", { json: { name: "uplink" } });
    const addresses = (await rest(rb, "GET", "/ip/address", { query: { interface: "uplink" } })).body;
    expect(addresses.length).toBe(1);
    expect(rb.exportText()).toContain("set [ find default-name=ether1 ] comment=WAN name=uplink");
  });

  it("hides sensitive properties from users without the sensitive policy", async () => {
    const { rb } = lab();
    expect((await rest(rb, "GET", "/interface/wireguard/wg0")).body["private-key"]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const poll = (await rest(rb, "GET", "/interface/wireguard/wg0", { as: "poll" })).body;
    expect(poll["private-key"]).toBeUndefined();
    expect(poll["public-key"]).toMatch(/=$/);
  });
});

describe("RouterOS values that follow the clock", () => {
  it("grows interface counters with time, consistently with monitor-traffic", async () => {
    const { rb, clock } = lab();
    const read = async () => (await rest(rb, "GET", "/interface/ether1", { query: { ".proplist": "rx-byte,tx-byte,rx-packet" } })).body;
    const before = await read();
    const rate = (await rest(rb, "POST", "/interface/monitor-traffic", { json: { interface: "ether1", once: "" } })).body[0];
    clock.advance(10_000);
    const after = await read();
    const rxBytes = Number(after["rx-byte"]) - Number(before["rx-byte"]);
    expect(rxBytes).toBeGreaterThan(0);
    expect(Number(after["rx-packet"])).toBeGreaterThan(Number(before["rx-packet"]));
    // Over 10 s the slow swing barely moves the rate: bytes ≈ rate × 10 s.
    expect(Math.abs((rxBytes * 8) / 10 - Number(rate["rx-bits-per-second"])) / Number(rate["rx-bits-per-second"])).toBeLessThan(0.01);
    const txBytes = Number(after["tx-byte"]) - Number(before["tx-byte"]);
    expect(Math.abs((txBytes * 8) / 10 - Number(rate["tx-bits-per-second"])) / Number(rate["tx-bits-per-second"])).toBeLessThan(0.01);
  });

  it("returns one sample per interval and per interface for a monitor with a duration", async () => {
    const { rb, clock } = lab();
    const start = clock.now();
    const samples = (await rest(rb, "POST", "/interface/monitor-traffic", { json: { interface: "ether1,bridge", duration: "3s", ".proplist": "name,rx-bits-per-second" } })).body;
    expect(clock.now() - start).toBe(3000);
    expect(samples.map((s: Record<string, string>) => `${s[".section"]}:${s.name}`)).toEqual(["0:ether1", "0:bridge", "1:ether1", "1:bridge", "2:ether1", "2:bridge"]);
  });

  it("stops counting on disabled or unplugged interfaces and counts a link-down", async () => {
    const { rb, clock } = lab();
    await rest(rb, "PATCH", "/interface/ether1", { json: { disabled: true } });
    const frozen = rb.counters("ether1").rxByte;
    clock.advance(5000);
    expect(rb.counters("ether1").rxByte).toBe(frozen);
    expect((await rest(rb, "GET", "/interface/ether1")).body.running).toBe("false");
    await rest(rb, "POST", "/interface/enable", { json: { numbers: "ether1" } });
    clock.advance(5000);
    expect(rb.counters("ether1").rxByte).toBeGreaterThan(frozen);
    const downs = Number((await rest(rb, "GET", "/interface/ether1")).body["link-downs"]);
    rb.setLinked("ether1", false);
    expect((await rest(rb, "GET", "/interface/ether1")).body).toMatchObject({ running: "false", "link-downs": String(downs + 1) });
  });

  it("resets counters and uptime on a reboot", async () => {
    const { rb, clock } = lab();
    expect(rb.counters("ether1").rxByte).toBeGreaterThan(0);
    rb.rebootCounters();
    expect(rb.counters("ether1").rxByte).toBe(0);
    expect((await rest(rb, "GET", "/system/resource")).body.uptime).toBe("0s");
    clock.advance(3 * 86_400_000 + 3_723_000);
    expect((await rest(rb, "GET", "/system/resource")).body.uptime).toBe("3d1h2m3s");
    expect(rb.counters("ether1").rxByte).toBeGreaterThan(0);
    expect((await rest(rb, "GET", "/interface/ether1")).body["link-downs"]).toBe("0");
  });

  it("moves cpu-load over time and last-config-change on every configuration write", async () => {
    const { rb, clock } = lab();
    const loads = new Set<string>();
    for (let i = 0; i < 20; i++) {
      loads.add((await rest(rb, "GET", "/system/resource", { query: { ".proplist": "cpu-load" } })).body["cpu-load"]);
      clock.advance(60_000);
    }
    expect(loads.size).toBeGreaterThan(2);
    const lastChange = async () => (await rest(rb, "GET", "/system/resource", { query: { ".proplist": "last-config-change" } })).body["last-config-change"];
    const before = await lastChange();
    expect(before).toBe(rb.lastConfigChange);
    clock.advance(1000);
    await rest(rb, "GET", "/interface");
    expect(await lastChange()).toBe(before);
    await rest(rb, "POST", "/ip/dns/set", { json: { servers: "192.0.2.53" } });
    const afterSet = await lastChange();
    expect(afterSet).not.toBe(before);
    clock.advance(60_000);
    rb.changeConfig("added a management host");
    expect(await lastChange()).not.toBe(afterSet);
  });

  it("reports package updates after check-for-updates, with progress records", async () => {
    const { rb } = lab();
    expect((await rest(rb, "GET", "/system/package/update")).body).toEqual({ channel: "stable", "installed-version": rb.version });
    const progress = (await rest(rb, "POST", "/system/package/update/check-for-updates", { json: {} })).body;
    expect(progress.map((p: Record<string, string>) => p[".section"])).toEqual(["0", "1"]);
    expect(progress[0].status).toBe("finding out latest version...");
    const state = (await rest(rb, "GET", "/system/package/update")).body;
    expect(state.status).toBe(progress[1].status);
    expect(["New version is available", "System is already up to date", "ERROR: could not resolve dns name"]).toContain(state.status);
  });
});
