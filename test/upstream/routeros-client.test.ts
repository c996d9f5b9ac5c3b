/** The typed RouterOS client against in-process simulated routers, in the Workers runtime. */
import { describe, expect, it } from "vitest";
import type { RouterosCredentials } from "../../src/upstream/credentials";
import { ConnectionLimiter } from "../../src/upstream/limiter";
import {
  cpuTemperature,
  exportHash,
  normalizeExport,
  parseRosBool,
  parseRosDate,
  parseRosDuration,
  parseRosNumber,
  RouterosClient,
  routerosDetail,
} from "../../src/upstream/routeros";
import { Transport, type UpstreamTarget } from "../../src/upstream/transport";
import { SimClock } from "../sim/common/clock";
import { createRouterFleet, type RouterSim } from "../sim/routeros";
import { type FetchLike, labTarget, rejection, wire } from "../helpers/upstream";



function clientFor(router: RouterSim, options: { user?: "admin" | "poll"; credentials?: RouterosCredentials; fetch?: FetchLike; target?: Partial<UpstreamTarget> } = {}) {
  const user = router.users[options.user ?? "admin"];
  const credentials = options.credentials ?? { type: "password", username: user.username, password: user.password };
  const transport = new Transport(labTarget('routeros "rtr"', "rtr.lab", options.target), { limiter: new ConnectionLimiter(), fetch: options.fetch ?? wire(router), sleep: async () => undefined });
  return new RouterosClient(transport, credentials);
}

function lab() {
  const clock = new SimClock("manual", Date.UTC(2026, 2, 10, 9, 0, 0));
  const fleet = createRouterFleet({ routers: 30, seed: 17, clock });
  const pick = (test: (r: RouterSim) => boolean) => {
    const found = fleet.routers.find(test);
    if (!found) throw new Error("the lab seed has no such router");
    return found;
  };
  const rb = pick((r) => !r.isChr && r.interfaceNames().includes("wg0") && r.interfaceNames().includes("bridge"));
  const chr = pick((r) => r.isChr);
  return { clock, fleet, rb, chr, pick };
}

const requests = (router: RouterSim, key: string) => router.harness.stats().requests[key] ?? 0;


async function setFaults(router: RouterSim, faults: Record<string, unknown>): Promise<void> {
  const res = await router.fetch(new Request("http://x/_sim/faults", { method: "PUT", body: JSON.stringify(faults) }));
  expect(res.status).toBe(200);
}

/** A router stand-in that answers one fixed JSON body (for shapes the v7 simulator does not produce). */
function fixed(status: number, body: unknown): FetchLike {
  return async () => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

describe("RouterosClient reads", () => {
  it("reads system/resource with a proplist and parses the strings", async () => {
    const { rb } = lab();
    const client = clientFor(rb, { user: "poll" });
    const res = await client.systemResource();
    const raw = rb.resource();
    expect(res.version).toBe(`${rb.version} (stable)`);
    expect(res.versionNumber).toBe(rb.version);
    expect(res.channel).toBe("stable");
    expect(res.uptimeSeconds).toBe(parseRosDuration(raw.uptime!));
    expect(res.uptimeSeconds).toBeGreaterThan(0);
    expect(res.cpuLoad).toBe(Number(raw["cpu-load"]));
    expect(res.totalMemory).toBe(Number(raw["total-memory"]));
    expect(res.boardName).toBe(rb.boardName);
    expect(res.lastConfigChange).toBe(rb.lastConfigChange);
    expect(res.lastConfigChangeAt).toBe(parseRosDate(rb.lastConfigChange));
    const sent = Object.keys(rb.harness.stats().requests);
    expect(sent).toEqual(["GET /rest/system/resource"]);
  });

  it("sends .proplist on every read it makes", async () => {
    const { rb } = lab();
    const seen: string[] = [];
    const spy: FetchLike = (req) => {
      const url = new URL(req.url);
      if (req.method === "GET") seen.push(url.searchParams.get(".proplist") ?? "(none)");
      return rb.fetch(req);
    };
    const client = clientFor(rb, { fetch: spy });
    await client.systemResource();
    await client.routerboard();
    await client.identity();
    await client.health();
    await client.interfaces();
    await client.ipAddresses();
    await client.packageUpdate();
    expect(seen).toHaveLength(7);
    expect(seen.every((p) => p !== "(none)" && p.length > 0)).toBe(true);
    await expect(client.print("interface", { proplist: [] })).rejects.toThrow(RangeError);
  });

  it("returns RouterBOARD facts, and null on CHR (no such menu) and for `routerboard: false`", async () => {
    const { rb, chr } = lab();
    const board = await clientFor(rb).routerboard();
    expect(board).toMatchObject({ serialNumber: rb.serialNumber, upgradeFirmware: rb.version });
    expect(board!.firmwareUpgradePending).toBe(board!.currentFirmware !== rb.version);
    expect(await clientFor(chr).routerboard()).toBeNull();
    expect(await clientFor(chr, { fetch: fixed(200, { routerboard: "false" }) }).routerboard()).toBeNull();
    const other = await rejection(clientFor(chr, { fetch: fixed(400, { detail: "no such command or directory (frobnicate)", error: 400, message: "Bad Request" }) }).routerboard());
    expect(other.status).toBe(400);
  });

  it("reads the identity, and health as v7 rows or a v6 flat map in one shape", async () => {
    const { rb, chr } = lab();
    expect(await clientFor(rb).identity()).toBe(rb.name);
    const v7 = await clientFor(rb).health();
    expect(v7.length).toBeGreaterThan(0);
    expect(v7.every((r) => typeof r.name === "string" && typeof r.value === "string")).toBe(true);
    expect(cpuTemperature(v7)).toEqual(expect.any(Number));
    expect(await clientFor(chr).health()).toEqual([]);
    const v6 = await clientFor(rb, { fetch: fixed(200, { voltage: "24.1", temperature: "39", "fan1-speed": "4410" }) }).health();
    expect(v6).toEqual([
      { name: "voltage", value: "24.1", numeric: 24.1, type: "V" },
      { name: "temperature", value: "39", numeric: 39, type: "C" },
      { name: "fan1-speed", value: "4410", numeric: 4410, type: "RPM" },
    ]);
    expect(cpuTemperature(v6)).toBe(39);
    expect(cpuTemperature([{ name: "psu1-state", value: "ok", numeric: null, type: "" }])).toBeUndefined();
  });

  it("reads interface counters as numbers that grow with time, and rates consistent with them", async () => {
    const { rb, clock } = lab();
    const client = clientFor(rb, { user: "poll" });
    const before = await client.interfaces();
    const ether1 = before.find((i) => i.name === "ether1")!;
    expect(ether1).toMatchObject({ type: "ether", running: true, disabled: false, mtu: 1500 });
    expect(ether1.rxByte).toBe(rb.counters("ether1").rxByte);
    expect(before.find((i) => i.type === "bridge")!.mtu).toBeNull();
    const [rate] = await client.monitorTraffic(["ether1"]);
    clock.advance(20_000);
    const after = (await client.interfaces()).find((i) => i.name === "ether1")!;
    const measured = ((after.rxByte - ether1.rxByte) * 8) / 20;
    expect(Math.abs(measured - rate!.rxBitsPerSecond) / rate!.rxBitsPerSecond).toBeLessThan(0.02);
    expect(await client.monitorTraffic([])).toEqual([]);
    const both = await client.monitorTraffic(["ether1", "bridge"]);
    expect(both.map((s) => s.name)).toEqual(["ether1", "bridge"]);
  });

  it("reads IP addresses", async () => {
    const { rb } = lab();
    const addresses = await clientFor(rb).ipAddresses();
    expect(addresses.length).toBeGreaterThan(1);
    for (const a of addresses) {
      expect(a.address).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
      expect(a).toMatchObject({ disabled: false, dynamic: false, invalid: false });
    }
    expect(addresses.some((a) => a.interface === "wg0")).toBe(true);
  });

  it("prints with exact filters (GET) and with query words (POST print)", async () => {
    const { rb } = lab();
    const client = clientFor(rb);
    const running = await client.print("interface", { proplist: ["name", "running"], where: { type: "ether", running: true } });
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((r) => r.running === "true")).toBe(true);
    const etherOrBridge = await client.print("interface", { proplist: ["name", "type"], query: ["type=ether", "type=bridge", "#|"] });
    expect(new Set(etherOrBridge.map((r) => r.type))).toEqual(new Set(["ether", "bridge"]));
    const runningEthers = await client.print("interface", { proplist: ["name"], where: { running: true }, query: ["type=ether"] });
    expect(runningEthers.map((r) => r.name)).toEqual(running.map((r) => r.name));
    expect(requests(rb, "POST /rest/interface/print")).toBe(2);
    expect(await client.get("interface/ether1", ["name", "type"])).toEqual({ name: "ether1", type: "ether" });
  });

  it("adds, sets and removes records, and runs commands", async () => {
    const { rb } = lab();
    const client = clientFor(rb);
    const vlan = await client.add("interface/vlan", { name: "vlan777", "vlan-id": 777, interface: "bridge" });
    expect(vlan).toMatchObject({ name: "vlan777", "vlan-id": "777" });
    expect((await client.set("interface/vlan", vlan[".id"]!, { comment: "lab", disabled: true })).comment).toBe("lab");
    expect(await client.command("interface/vlan/print", { "count-only": "" }, { idempotent: true })).toEqual({ ret: expect.stringMatching(/^\d+$/) });
    await client.remove("interface/vlan", "vlan777");
    expect(rb.interfaceNames()).not.toContain("vlan777");
  });

  it("reads the package update state and checks for updates", async () => {
    const { pick } = lab();
    const router = pick((r) => r.version !== "7.19.4" && !r.isChr);
    const client = clientFor(router);
    expect(await client.packageUpdate()).toEqual({ channel: "stable", installedVersion: router.version, updateAvailable: false });
    const checked = await client.checkForUpdates();
    const stored = await client.packageUpdate();
    expect(stored).toEqual(checked);
    if (checked.status === "New version is available") expect(checked).toMatchObject({ latestVersion: "7.19.4", updateAvailable: true });
    else expect(checked).toMatchObject({ status: "ERROR: could not resolve dns name", updateAvailable: false });
  });
});

describe("RouterosClient configuration export", () => {
  it("exports through a file, reads it in chunks until empty, and deletes the file", async () => {
    const { rb } = lab();
    const client = clientFor(rb);
    const text = await client.exportConfig({ chunkSize: 512 });
    expect(text).toBe(rb.exportText().replace(/\n/g, "\r\n"));
    const reads = requests(rb, "POST /rest/file/read");
    expect(reads).toBe(Math.ceil(new TextEncoder().encode(text).length / 512) + 1);
    expect(requests(rb, "DELETE /rest/file/{id}")).toBe(1);
    expect(rb.fileNames().some((n) => n.startsWith("outpost-export-"))).toBe(false);
    expect(text).not.toContain("private-key");
    expect(await client.exportConfig({ showSensitive: true })).toContain("private-key=");
  });

  it("hashes unchanged configurations equal across header dates, and differently after a change", async () => {
    const { rb, clock } = lab();
    const client = clientFor(rb);
    const first = await client.exportConfig();
    clock.advance(86_400_000 + 1234);
    const second = await client.exportConfig();
    expect(second).not.toBe(first);
    expect(second.split("\r\n")[0]).not.toBe(first.split("\r\n")[0]);
    expect(await exportHash(second)).toBe(await exportHash(first));
    rb.changeConfig("allow the monitoring host");
    const third = await client.exportConfig();
    expect(await exportHash(third)).not.toBe(await exportHash(first));
    expect(normalizeExport(third)).toContain('comment="allow the monitoring host"');
  });

  it("deletes the file even when reading it fails, and reports the reading error", async () => {
    const { rb } = lab();
    await setFaults(rb, { errorRate: 1, errorStatus: 500, pathPrefix: "/rest/file/read" });
    const err = await rejection(clientFor(rb).exportConfig());
    expect(err.status).toBe(502);
    expect(rb.fileNames().some((n) => n.startsWith("outpost-export-"))).toBe(false);
    expect(requests(rb, "DELETE /rest/file/{id}")).toBe(1);
  });

  it("needs the sensitive and ftp policies: the poll user cannot export", async () => {
    const { rb } = lab();
    const err = await rejection(clientFor(rb, { user: "poll" }).exportConfig());
    expect(err.status).toBe(502);
    expect(err.message).toContain("not enough permissions (9)");
    expect(routerosDetail(err)).toBe("not enough permissions (9)");
  });
});

describe("RouterosClient errors", () => {
  it("keeps 401 for bad credentials", async () => {
    const { rb } = lab();
    const err = await rejection(clientFor(rb, { credentials: { type: "password", username: "admin", password: "wrong" } }).identity());
    expect([err.status, err.code]).toEqual([401, "upstream_rejected"]);
    expect(err.message).toContain("Unauthorized");
  });

  it("keeps 400 with RouterOS' detail in the message", async () => {
    const { rb } = lab();
    const err = await rejection(clientFor(rb).print("ip/nosuchmenu", { proplist: ["name"] }));
    expect([err.status, err.code]).toEqual([400, "upstream_rejected"]);
    expect(err.message).toContain("no such command or directory (nosuchmenu)");
    expect(routerosDetail(err)).toBe("no such command or directory (nosuchmenu)");
    expect((await rejection(clientFor(rb).add("ip/address", { address: "192.0.2.1/24" }))).message).toContain("missing =interface=");
  });

  it("maps 500 to 502, a dropped connection to 502 and a timeout to 504", async () => {
    const { rb } = lab();
    await setFaults(rb, { errorRate: 1, errorStatus: 500 });
    expect((await rejection(clientFor(rb).identity())).status).toBe(502);
    await setFaults(rb, { errorRate: 0, dropRate: 1 });
    const dropped = await rejection(clientFor(rb).identity());
    expect([dropped.status, dropped.code]).toEqual([502, "upstream_unreachable"]);
    await setFaults(rb, { dropRate: 0, timeoutRate: 1, hangMs: 300 });
    const timedOut = await rejection(clientFor(rb, { target: { timeoutMs: 50 } }).identity());
    expect([timedOut.status, timedOut.code]).toEqual([504, "upstream_timeout"]);
  });

  it("lets the transport retry reads but never a command that changes state", async () => {
    const { rb } = lab();
    let failNext = 0;
    const flaky: FetchLike = async (req) => {
      if (failNext > 0) {
        failNext--;
        return new Response(JSON.stringify({ error: 500, message: "Internal Server Error" }), { status: 500, headers: { "content-type": "application/json" } });
      }
      return rb.fetch(req);
    };
    const client = clientFor(rb, { fetch: flaky, target: { retries: 2 } });
    failNext = 1;
    expect(await client.identity()).toBe(rb.name);
    failNext = 1;
    expect((await client.monitorTraffic(["ether1"])).length).toBe(1);
    failNext = 1;
    const err = await rejection(client.add("ip/firewall/address-list", { list: "x", address: "192.0.2.99" }));
    expect(err.status).toBe(502);
    expect(requests(rb, "PUT /rest/ip/firewall/address-list")).toBe(0);
    failNext = 1;
    expect((await rejection(client.exportConfig())).status).toBe(502);
    expect(requests(rb, "POST /rest/export")).toBe(0);
  });

  it("reports a reply that is not RouterOS-shaped as a bad gateway", async () => {
    const { rb } = lab();
    expect((await rejection(clientFor(rb, { fetch: fixed(200, { version: 7 }) }).systemResource())).status).toBe(502);
    expect((await rejection(clientFor(rb, { fetch: fixed(200, { uptime: "1d" }) }).systemResource())).message).toContain("version is missing");
    expect((await rejection(clientFor(rb, { fetch: fixed(200, {}) }).interfaces())).message).toContain("not a list");
  });
});

describe("RouterOS value parsers", () => {
  it("parses durations", () => {
    expect(parseRosDuration("2d20h12m20s")).toBe(2 * 86400 + 20 * 3600 + 12 * 60 + 20);
    expect(parseRosDuration("1w3d")).toBe(10 * 86400);
    expect(parseRosDuration("0s")).toBe(0);
    expect(parseRosDuration("500ms")).toBe(0.5);
    expect(parseRosDuration("00:01:30")).toBe(90);
    expect(parseRosDuration("1d02:03:04")).toBe(86400 + 7384);
    expect(() => parseRosDuration("")).toThrow(RangeError);
    expect(() => parseRosDuration("3 days")).toThrow(RangeError);
  });

  it("parses numbers, booleans and both date styles", () => {
    expect(parseRosNumber("1073741824")).toBe(1073741824);
    expect(parseRosNumber("24.1")).toBe(24.1);
    expect(() => parseRosNumber("")).toThrow(RangeError);
    expect(() => parseRosNumber("12k")).toThrow(RangeError);
    expect([parseRosBool("true"), parseRosBool("yes"), parseRosBool("false"), parseRosBool("no")]).toEqual([true, true, false, false]);
    expect(() => parseRosBool("maybe")).toThrow(RangeError);
    expect(parseRosDate("2024-10-28 12:28:48")).toBe(Date.UTC(2024, 9, 28, 12, 28, 48));
    expect(parseRosDate("oct/28/2024 12:28:48")).toBe(Date.UTC(2024, 9, 28, 12, 28, 48));
    expect(parseRosDate("Oct/28/2024 12:28:48")).toBe(Date.UTC(2024, 9, 28, 12, 28, 48));
    expect(parseRosDate("never")).toBeUndefined();
  });
});

describe("export normalisation", () => {
  const body = "/ip address\nadd address=192.0.2.1/24 interface=ether1\n";
  const rb = (header: string) => `${header}\n# software id = ABCD-1234\n#\n# model = RB5009UG+S+\n# serial number = HE80ABCDEF12\n${body}`;

  it("drops the header in every date form and the hardware lines", async () => {
    const forms = [
      "# jul/12/2023 17:38:00 by RouterOS 7.9.1",
      "# 2024-10-28 12:28:48 by RouterOS 7.16.1",
      "# 1970-01-02 00:04:11 by RouterOS 7.12",
      "# ____-__-__ __:__:__ by RouterOS 7.18.2",
    ];
    const normalised = forms.map((h) => normalizeExport(rb(h)));
    expect(new Set(normalised).size).toBe(1);
    expect(normalised[0]).toBe(`#\n${body}`);
    const hashes = await Promise.all(forms.map((h) => exportHash(rb(h))));
    expect(new Set(hashes).size).toBe(1);
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("turns CRLF into LF, trims trailing whitespace and collapses blank lines", () => {
    const messy = "# 2024-10-28 12:28:48 by RouterOS 7.16.1\r\n/ip address  \r\n\r\n\r\nadd address=192.0.2.1/24 interface=ether1\t\r\n\r\n\r\n";
    expect(normalizeExport(messy)).toBe("/ip address\n\nadd address=192.0.2.1/24 interface=ether1\n");
  });

  it("keeps a first line that is not an export header, and tells configurations apart", async () => {
    expect(normalizeExport("# my notes\n/ip address\n")).toBe("# my notes\n/ip address\n");
    expect(await exportHash(rb("# 2024-10-28 12:28:48 by RouterOS 7.16.1"))).not.toBe(await exportHash(rb("# 2024-10-28 12:28:48 by RouterOS 7.16.1").replace("192.0.2.1", "192.0.2.2")));
  });
});
