/** Wrong calls fail the way RouterOS fails them: status codes, error bodies and `detail` texts of spec §3.4. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../common/clock";
import { createRouterFleet } from "./index";
import { basicAuth, rest } from "./testing";

function lab() {
  const clock = new SimClock("manual");
  const fleet = createRouterFleet({ routers: 12, seed: 11, clock });
  const rb = fleet.routers.find((r) => !r.isChr)!;
  const chr = fleet.routers.find((r) => r.isChr)!;
  return { clock, fleet, rb, chr };
}

const bad = (detail: string) => ({ detail, error: 400, message: "Bad Request" });

describe("RouterOS REST authentication", () => {
  it("answers without credentials with 401, WWW-Authenticate Basic and a detail-less body", async () => {
    const { rb } = lab();
    const r = await rest(rb, "GET", "/system/resource", { as: null });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toMatch(/^Basic\b/);
    expect(r.body).toEqual({ error: 401, message: "Unauthorized" });
  });

  it("answers a wrong password or an unknown user with 401", async () => {
    const { rb } = lab();
    expect((await rest(rb, "GET", "/system/identity", { as: { username: "admin", password: "nope" } })).status).toBe(401);
    expect((await rest(rb, "GET", "/system/identity", { as: { username: "ghost", password: rb.users.admin.password } })).status).toBe(401);
  });

  it("refuses a group without rest-api (401) and one with rest-api but not api (500 not allowed)", async () => {
    const { rb } = lab();
    rb.addUser("noapi", "pw", ["read", "rest-api"]);
    rb.addUser("norest", "pw", ["read", "api"]);
    expect((await rest(rb, "GET", "/system/identity", { as: { username: "norest", password: "pw" } })).status).toBe(401);
    const r = await rest(rb, "GET", "/system/identity", { as: { username: "noapi", password: "pw" } });
    expect([r.status, r.body]).toEqual([500, { detail: "std failure: not allowed (9)", error: 500, message: "Internal Server Error" }]);
  });

  it("drops every connection of an unreachable router", async () => {
    const { rb } = lab();
    rb.setReachable(false);
    await expect(rest(rb, "GET", "/system/identity")).rejects.toThrow(TypeError);
    rb.setReachable(true);
    expect((await rest(rb, "GET", "/system/identity")).body).toEqual({ name: rb.name });
  });
});

describe("RouterOS REST request strictness", () => {
  it("wants application/json for a body (415) and refuses bad JSON and exponents", async () => {
    const { rb } = lab();
    const noType = await rest(rb, "POST", "/system/identity/set", { rawBody: '{"name":"x"}', contentType: null });
    expect([noType.status, noType.body]).toEqual([415, { error: 415, message: "Unsupported Media Type" }]);
    const form = await rest(rb, "POST", "/system/identity/set", { rawBody: "name=x", contentType: "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    expect((await rest(rb, "POST", "/system/identity/set", { rawBody: '{"name":' })).body).toEqual(bad("Failed to parse json"));
    expect((await rest(rb, "PATCH", "/interface/ether1", { rawBody: '{"mtu":1.5e3}' })).body).toEqual(bad("Failed to parse json"));
  });

  it("reads a leading 0 as octal and 0x as hex, and JSON numbers and booleans as strings", async () => {
    const { rb } = lab();
    expect((await rest(rb, "PATCH", "/interface/ether1", { rawBody: '{"mtu":0x5DC}' })).body.mtu).toBe("1500");
    expect((await rest(rb, "PATCH", "/interface/ether1", { rawBody: '{"mtu":02734}' })).body.mtu).toBe("1500");
    const r = await rest(rb, "PATCH", "/interface/ether1", { json: { mtu: 1400, disabled: false } });
    expect([r.body.mtu, r.body.disabled]).toEqual(["1400", "false"]);
  });

  it("does not decode %2A in ids", async () => {
    const { rb } = lab();
    expect((await rest(rb, "GET", "/interface/%2A1")).body).toEqual(bad("no such command prefix"));
    expect((await rest(rb, "GET", "/interface/*1")).body.name).toBe("ether1");
  });

  it("names the unknown menu, command or item", async () => {
    const { rb } = lab();
    expect((await rest(rb, "GET", "/foo")).body).toEqual(bad("no such command or directory (foo)"));
    expect((await rest(rb, "GET", "/system/fooo")).body).toEqual(bad("no such command or directory (fooo)"));
    expect((await rest(rb, "POST", "/interface/frobnicate", { json: {} })).body).toEqual(bad("no such command or directory (frobnicate)"));
    expect((await rest(rb, "GET", "/interface/nosuchport")).body).toEqual(bad("no such command or directory (nosuchport)"));
    expect((await rest(rb, "GET", "/interface/ether1/extra")).body).toEqual(bad("no such command or directory (extra)"));
  });

  it("answers GET on a command, and PUT or POST without a command, with `no such command`", async () => {
    const { rb } = lab();
    expect((await rest(rb, "GET", "/interface/monitor-traffic")).body).toEqual(bad("no such command"));
    expect((await rest(rb, "GET", "/interface/print")).body).toEqual(bad("no such command"));
    expect((await rest(rb, "PUT", "/interface", { json: { name: "x" } })).body).toEqual(bad("no such command"));
    expect((await rest(rb, "PUT", "/system/resource", { json: {} })).body).toEqual(bad("no such command"));
    expect((await rest(rb, "GET", "/ip")).body).toEqual(bad("no such command"));
  });

  it("rejects unknown parameters, bad values and missing arguments in console words", async () => {
    const { rb } = lab();
    expect((await rest(rb, "PUT", "/ip/address", { json: { address: "192.0.2.1/24", interface: "ether1", colour: "red" } })).body).toEqual(bad("unknown parameter colour"));
    expect((await rest(rb, "PUT", "/ip/address", { json: { address: "192.0.2.300/24", interface: "ether1" } })).body).toEqual(bad("invalid value for argument address"));
    expect((await rest(rb, "PUT", "/ip/address", { json: { interface: "ether1" } })).body).toEqual(bad("missing =address="));
    expect((await rest(rb, "PUT", "/ip/address", { json: { address: "192.0.2.1/24", interface: "ether99" } })).body).toEqual(bad("input does not match any value of interface"));
    expect((await rest(rb, "PUT", "/interface/vlan", { json: { name: "v5000", "vlan-id": 5000, interface: "ether1" } })).body).toEqual(bad("invalid value for argument vlan-id"));
    expect((await rest(rb, "PATCH", "/interface/ether1", { json: { running: "true" } })).body).toEqual(bad("unknown parameter running"));
    expect((await rest(rb, "POST", "/interface/print", { json: { where: "x" } })).body).toEqual(bad("unknown parameter where"));
    expect((await rest(rb, "POST", "/ip/address/remove", { json: {} })).body).toEqual(bad("missing =numbers="));
    expect((await rest(rb, "POST", "/ip/address/remove", { json: { ".id": "*99" } })).body).toEqual(bad("no such item"));
  });

  it("refuses PATCH on a singleton and PATCH/DELETE without an id; `set` works on the singleton", async () => {
    const { rb } = lab();
    expect((await rest(rb, "PATCH", "/system/identity", { json: { name: "x" } })).body).toEqual(bad("missing or invalid resource identifier"));
    expect((await rest(rb, "DELETE", "/ip/address")).body).toEqual(bad("missing or invalid resource identifier"));
    const set = await rest(rb, "POST", "/system/identity/set", { json: { name: "edge-1" } });
    expect([set.status, set.body]).toEqual([200, []]);
    expect((await rest(rb, "GET", "/system/identity")).body).toEqual({ name: "edge-1" });
  });

  it("deletes with 204 and answers a second delete of the id with a detail-less 404", async () => {
    const { rb } = lab();
    const created = await rest(rb, "PUT", "/ip/firewall/address-list", { json: { list: "t", address: "192.0.2.9" } });
    const id = created.body[".id"];
    const first = await rest(rb, "DELETE", `/ip/firewall/address-list/${id}`);
    expect([first.status, first.text]).toEqual([204, ""]);
    const second = await rest(rb, "DELETE", `/ip/firewall/address-list/${id}`);
    expect([second.status, second.body]).toEqual([404, { error: 404, message: "Not Found" }]);
    expect((await rest(rb, "GET", `/ip/firewall/address-list/${id}`)).status).toBe(404);
  });

  it("gives the read-only poll user the permission errors of the spec on writes", async () => {
    const { rb } = lab();
    expect((await rest(rb, "GET", "/interface", { as: "poll" })).status).toBe(200);
    const put = await rest(rb, "PUT", "/ip/address", { as: "poll", json: { address: "192.0.2.1/24", interface: "ether1" } });
    expect([put.status, put.body]).toEqual([500, { detail: "not enough permissions (9)", error: 500, message: "Internal Server Error" }]);
    const patch = await rest(rb, "PATCH", "/interface/ether1", { as: "poll", json: { comment: "x" } });
    expect([patch.status, patch.body]).toEqual([400, bad("missing or invalid resource identifier")]);
    expect((await rest(rb, "DELETE", "/ip/address/*1", { as: "poll" })).body).toEqual(bad("missing or invalid resource identifier"));
    expect((await rest(rb, "POST", "/system/identity/set", { as: "poll", json: { name: "x" } })).status).toBe(500);
    expect((await rest(rb, "POST", "/export", { as: "poll", json: { file: "x" } })).body.detail).toBe("not enough permissions (9)");
  });

  it("has no /system/routerboard on CHR", async () => {
    const { rb, chr } = lab();
    expect((await rest(chr, "GET", "/system/routerboard")).body).toEqual(bad("no such command or directory (routerboard)"));
    expect((await rest(chr, "GET", "/system/resource")).body["board-name"]).toBe("CHR");
    expect((await rest(rb, "GET", "/system/routerboard")).body.routerboard).toBe("true");
  });

  it("closes a command that would run past 60 s with `Session closed`", async () => {
    const { rb, clock } = lab();
    const start = clock.now();
    expect((await rest(rb, "POST", "/interface/monitor-traffic", { json: { interface: "ether1" } })).body).toEqual(bad("Session closed"));
    expect(clock.now() - start).toBe(60_000);
    expect((await rest(rb, "POST", "/interface/monitor-traffic", { json: { interface: "ether1", duration: "90s" } })).body).toEqual(bad("Session closed"));
    expect((await rest(rb, "POST", "/interface/print", { json: { follow: "" } })).body).toEqual(bad("Session closed"));
    expect((await rest(rb, "POST", "/execute", { json: { script: ":delay 70s", "as-string": "" } })).body).toEqual(bad("Session closed"));
    const short = await rest(rb, "POST", "/execute", { json: { script: ':delay 2s; :put "done"', "as-string": "" } });
    expect(short.body).toEqual({ ret: "done" });
  });

  it("runs execute without as-string as a background job and reports script errors in ret with 200", async () => {
    const { rb } = lab();
    expect((await rest(rb, "POST", "/execute", { json: { script: ":put 1" } })).body.ret).toMatch(/^\*[0-9A-F]+$/);
    const broken = await rest(rb, "POST", "/execute", { json: { script: "/frobnicate now", "as-string": "false" } });
    expect([broken.status, broken.body.ret]).toEqual([200, "bad command name frobnicate (line 1 column 2)"]);
  });

  it("answers a CORS preflight with 503", async () => {
    const { rb } = lab();
    const res = await rb.fetch(new Request(`http://${rb.name}.lab/rest/system/resource`, { method: "OPTIONS", headers: { authorization: basicAuth("admin", "x") } }));
    expect(res.status).toBe(503);
  });

  it("answers injected faults with RouterOS-shaped bodies", async () => {
    const { rb } = lab();
    await rb.fetch(new Request("http://x/_sim/faults", { method: "PUT", body: JSON.stringify({ errorRate: 1, errorStatus: 500 }) }));
    const r = await rest(rb, "GET", "/system/resource");
    expect([r.status, r.body]).toEqual([500, { error: 500, message: "Internal Server Error" }]);
  });
});
