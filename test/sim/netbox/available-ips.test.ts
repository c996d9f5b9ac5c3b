/** `available-ips`: usable bounds, dict/list POSTs, prefix_length checks, exhaustion, concurrency (spec §8). */
import { describe, expect, it } from "vitest";
import { createNetboxSim } from "./index";
import { call, get, post } from "./testing";

function withPrefix(prefix: string, extra: Record<string, unknown> = {}) {
  const sim = createNetboxSim();
  const p = sim.create("ipam/prefixes", { prefix, ...extra });
  return { sim, path: `/api/ipam/prefixes/${p.id}/available-ips/` };
}

const addresses = (body: Array<{ address: string }>) => body.map((a) => a.address);

describe("GET available-ips", () => {
  it("lists free addresses as a plain list, skipping network and broadcast, used addresses and honouring limit", async () => {
    const { sim, path } = withPrefix("192.0.2.0/29");
    sim.create("ipam/ip-addresses", { address: "192.0.2.2/29" });
    const r = await get(sim, path);
    expect(r.body).toEqual([
      { family: 4, address: "192.0.2.1/29", vrf: null },
      { family: 4, address: "192.0.2.3/29", vrf: null },
      { family: 4, address: "192.0.2.4/29", vrf: null },
      { family: 4, address: "192.0.2.5/29", vrf: null },
      { family: 4, address: "192.0.2.6/29", vrf: null },
    ]);
    expect(addresses((await get(sim, `${path}?limit=2`)).body)).toEqual(["192.0.2.1/29", "192.0.2.3/29"]);
    expect((await get(sim, "/api/ipam/prefixes/99/available-ips/")).body).toEqual({ detail: "No Prefix matches the given query." });
  });

  it("uses every address of pools and /31s, and leaves out only the subnet-router anycast address in IPv6", async () => {
    expect(addresses((await get(withPrefix("198.51.100.0/30", { is_pool: true }).sim, "/api/ipam/prefixes/1/available-ips/")).body)).toEqual([
      "198.51.100.0/30",
      "198.51.100.1/30",
      "198.51.100.2/30",
      "198.51.100.3/30",
    ]);
    expect(addresses((await get(withPrefix("198.51.100.8/31").sim, "/api/ipam/prefixes/1/available-ips/")).body)).toEqual(["198.51.100.8/31", "198.51.100.9/31"]);
    const v6 = await get(withPrefix("2001:db8::/64").sim, "/api/ipam/prefixes/1/available-ips/?limit=2");
    expect(v6.body).toEqual([
      { family: 6, address: "2001:db8::1/64", vrf: null },
      { family: 6, address: "2001:db8::2/64", vrf: null },
    ]);
  });

  it("counts only addresses in the prefix's VRF", async () => {
    const sim = createNetboxSim();
    const vrf = sim.create("ipam/vrfs", { name: "blue" });
    sim.create("ipam/prefixes", { prefix: "10.9.0.0/29", vrf: vrf.id });
    sim.create("ipam/ip-addresses", { address: "10.9.0.1/29" });
    sim.create("ipam/ip-addresses", { address: "10.9.0.2/29", vrf: vrf.id });
    const r = await get(sim, "/api/ipam/prefixes/1/available-ips/?limit=1");
    expect(r.body).toEqual([{ family: 4, address: "10.9.0.1/29", vrf: { id: 1, url: "http://netbox.lab/api/ipam/vrfs/1/", display: "blue", name: "blue", rd: null, description: "" } }]);
  });
});

describe("POST available-ips", () => {
  it("creates one address from a dict (201, the IP object) and several from a list, passing other fields through", async () => {
    const { sim, path } = withPrefix("10.0.0.0/24");
    const one = await post(sim, path, { description: "gateway", dns_name: "GW.lab" });
    expect(one.status).toBe(201);
    expect(one.body).toMatchObject({ address: "10.0.0.1/24", description: "gateway", dns_name: "gw.lab", vrf: null, status: { value: "active", label: "Active" } });
    const many = await post(sim, path, [{ prefix_length: 32 }, { status: "reserved" }]);
    expect([many.status, many.body.map((a: { address: string }) => a.address)]).toEqual([201, ["10.0.0.2/32", "10.0.0.3/24"]]);
    expect(many.body[1].status.value).toBe("reserved");
  });

  it("validates prefix_length against the parent and the other fields like an IP address create", async () => {
    const { sim, path } = withPrefix("10.0.0.0/24");
    expect((await post(sim, path, { prefix_length: 16 })).body).toEqual([{ prefix_length: ["Prefix length must be greater than or equal to the parent mask length (24)"] }]);
    // NetBox names the wrong family in this message; the simulator keeps its words.
    expect((await post(sim, path, [{}, { prefix_length: 40 }])).body).toEqual([{}, { prefix_length: ["Invalid prefix length (40) for IPv6"] }]);
    expect((await post(sim, path, { status: "nope" })).body).toEqual({ status: ["nope is not a valid choice."] });
    expect((await post(sim, path, [{ status: "nope" }])).body).toEqual([{ status: ["nope is not a valid choice."] }]);
    expect(sim.count("ipam/ip-addresses")).toBe(0);
  });

  it("answers 409 when the prefix cannot satisfy the whole request, and creates nothing", async () => {
    const { sim, path } = withPrefix("10.0.0.0/30");
    const r = await post(sim, path, [{}, {}, {}]);
    expect([r.status, r.body]).toEqual([409, { detail: "Insufficient resources are available to satisfy the request" }]);
    expect(sim.count("ipam/ip-addresses")).toBe(0);
    expect((await post(sim, path, [{}, {}])).status).toBe(201);
    expect((await post(sim, path, {})).status).toBe(409);
  });

  it("never hands out one address twice to 20 concurrent callers (the global lock)", async () => {
    const { sim, path } = withPrefix("10.20.0.0/27");
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => post(sim, path, { description: `caller ${i}` })));
    expect(replies.every((r) => r.status === 201)).toBe(true);
    const got = replies.map((r) => r.body.address as string);
    expect(new Set(got).size).toBe(20);
    expect(sim.count("ipam/ip-addresses")).toBe(20);
    const rest = await Promise.all(Array.from({ length: 12 }, () => post(sim, path, {})));
    expect(rest.map((r) => r.status).sort()).toEqual([...Array(10).fill(201), 409, 409]);
  });

  it("finds the first gap after a long run of used addresses, and the gaps inside it", async () => {
    const sim = createNetboxSim();
    sim.create("ipam/prefixes", { prefix: "10.64.0.0/16" });
    const ips = Array.from({ length: 3000 }, (_, i) => ({ address: `10.64.${(i + 1) >> 8}.${(i + 1) & 255}/16` }));
    const res = await post(sim, "/api/ipam/ip-addresses/", ips);
    expect(res.status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await post(sim, "/api/ipam/prefixes/1/available-ips/", {})).body.address).toBe(`10.64.${(3001 + i) >> 8}.${(3001 + i) & 255}/16`);
    await call(sim, "DELETE", "/api/ipam/ip-addresses/", { json: [{ id: 700 }, { id: 2000 }] });
    expect(addresses((await get(sim, "/api/ipam/prefixes/1/available-ips/?limit=3")).body)).toEqual(["10.64.2.188/16", "10.64.7.208/16", "10.64.11.190/16"]);
  });
});
