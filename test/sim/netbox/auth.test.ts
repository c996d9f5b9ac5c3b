/** Authentication, URL strictness and response headers, as NetBox answers them (spec §2, §3). */
import { describe, expect, it } from "vitest";
import { SimClock } from "../common/clock";
import { createNetboxSim } from "./index";
import { call, get, post } from "./testing";

describe("NetBox authentication (4.6)", () => {
  it("accepts a v1 token and a v2 bearer token", async () => {
    const sim = createNetboxSim();
    expect((await get(sim, "/api/status/", { auth: `Token ${sim.tokens.v1}` })).status).toBe(200);
    expect((await get(sim, "/api/status/", { auth: `Bearer nbt_${sim.tokens.v2.key}.${sim.tokens.v2.secret}` })).status).toBe(200);
    // The version follows the nbt_ prefix, not the keyword, and the keyword is case-insensitive.
    expect((await get(sim, "/api/status/", { auth: `token nbt_${sim.tokens.v2.key}.${sim.tokens.v2.secret}` })).status).toBe(200);
    expect((await get(sim, "/api/status/", { auth: `Bearer ${sim.tokens.v1}` })).status).toBe(200);
  });

  it("answers 403 with NetBox's messages for missing, invalid and malformed credentials", async () => {
    const sim = createNetboxSim();
    const cases: Array<[string | null, string]> = [
      [null, "Authentication credentials were not provided."],
      ["Basic dXNlcjpwdw==", "Authentication credentials were not provided."],
      [`Token ${"x".repeat(40)}`, "Invalid v1 token"],
      [`Bearer nbt_${sim.tokens.v2.key}.${"y".repeat(40)}`, "Invalid v2 token"],
      [`Bearer nbt_unknownkey12.${sim.tokens.v2.secret}`, "Invalid v2 token"],
      [`Token ${sim.tokens.v1} extra`, 'Invalid authorization header: Must be in the form "Bearer <key>.<token>" or "Token <token>"'],
      ["Bearer", 'Invalid authorization header: Must be in the form "Bearer <key>.<token>" or "Token <token>"'],
      [`Bearer nbt_${sim.tokens.v2.key}`, "Invalid authorization header: Could not parse key from v2 token. Did you mean to use 'Token' instead of 'Bearer'?"],
    ];
    for (const [auth, message] of cases) {
      const r = await get(sim, "/api/dcim/sites/", { auth });
      expect([auth, r.status, r.body]).toEqual([auth, 403, { detail: message }]);
    }
  });

  it("refuses writes with a read-only token but lets it read", async () => {
    const sim = createNetboxSim();
    const ro = sim.addToken({ version: 2, writeEnabled: false });
    const auth = `Bearer nbt_${ro.key}.${ro.plaintext}`;
    expect((await get(sim, "/api/dcim/sites/", { auth })).status).toBe(200);
    const r = await post(sim, "/api/dcim/sites/", { name: "A", slug: "a" }, { auth });
    expect([r.status, r.body]).toEqual([403, { detail: "You do not have permission to perform this action." }]);
    expect(sim.count("dcim/sites")).toBe(0);
  });

  it("refuses disabled and expired tokens", async () => {
    const clock = new SimClock("manual", Date.UTC(2026, 0, 1));
    const sim = createNetboxSim({ clock });
    const off = sim.addToken({ version: 1, enabled: false });
    const soon = sim.addToken({ version: 2, expires: clock.now() + 60_000 });
    expect((await get(sim, "/api/status/", { auth: `Token ${off.plaintext}` })).body).toEqual({ detail: "Token disabled" });
    const auth = `Bearer nbt_${soon.key}.${soon.plaintext}`;
    expect((await get(sim, "/api/status/", { auth })).status).toBe(200);
    clock.advance(60_000);
    expect((await get(sim, "/api/status/", { auth })).body).toEqual({ detail: "Token expired" });
  });
});

describe("NetBox authentication before 4.5", () => {
  it("knows only DRF's Token keyword and its messages; bearer tokens do not authenticate", async () => {
    const sim = createNetboxSim({ version: "4.2" });
    expect(sim.tokens.v2).toEqual({ key: "", secret: "" });
    expect(() => sim.addToken({ version: 2 })).toThrow(/4\.5/);
    expect((await get(sim, "/api/status/", { auth: `Token ${sim.tokens.v1}` })).status).toBe(200);
    expect((await get(sim, "/api/status/", { auth: "Token" })).body).toEqual({ detail: "Invalid token header. No credentials provided." });
    expect((await get(sim, "/api/status/", { auth: "Token a b" })).body).toEqual({ detail: "Invalid token header. Token string should not contain spaces." });
    expect((await get(sim, "/api/status/", { auth: `Token ${"0".repeat(40)}` })).body).toEqual({ detail: "Invalid token" });
    expect((await get(sim, "/api/status/", { auth: `Bearer nbt_abcdefghijkl.${"a".repeat(40)}` })).body).toEqual({ detail: "Authentication credentials were not provided." });
  });
});

describe("NetBox URLs and headers", () => {
  it("sends API-Version and a fresh X-Request-ID on every API response, errors included", async () => {
    for (const version of ["4.2", "4.4", "4.5", "4.6"] as const) {
      const sim = createNetboxSim({ version });
      const ok = await get(sim, "/api/status/");
      const denied = await get(sim, "/api/status/", { auth: null });
      expect(ok.headers.get("api-version")).toBe(version);
      expect(denied.headers.get("api-version")).toBe(version);
      expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(ok.headers.get("x-request-id")).not.toBe(denied.headers.get("x-request-id"));
      expect(ok.body["netbox-version"]).toMatch(new RegExp(`^${version.replace(".", "\\.")}\\.`));
    }
  });

  it("redirects a GET without the trailing slash (302, query kept) and 404s a write without it", async () => {
    const sim = createNetboxSim();
    const r = await get(sim, "/api/dcim/sites?limit=5");
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe("/api/dcim/sites/?limit=5");
    const w = await post(sim, "/api/dcim/sites", { name: "A", slug: "a" });
    expect(w.status).toBe(404);
    expect(w.headers.get("content-type")).toMatch(/text\/html/);
    expect(sim.count("dcim/sites")).toBe(0);
  });

  it("answers unknown paths with Django's HTML 404 and unknown or unknown-id objects with DRF's JSON 404", async () => {
    const sim = createNetboxSim();
    const unknown = await get(sim, "/api/dcim/nonexistent/");
    expect([unknown.status, unknown.headers.get("content-type")?.startsWith("text/html")]).toEqual([404, true]);
    expect((await get(sim, "/api/virtualization/virtual-machines/99/")).body).toEqual({ detail: "No VirtualMachine matches the given query." });
    expect((await get(sim, "/api/ipam/ip-addresses/7/")).body).toEqual({ detail: "No IPAddress matches the given query." });
    expect((await get(sim, "/api/dcim/sites/abc/")).body).toEqual({ detail: "Not found." });
  });

  it("answers methods a view does not have with 405", async () => {
    const sim = createNetboxSim();
    const site = sim.create("dcim/sites", { name: "A", slug: "a" });
    const r = await post(sim, `/api/dcim/sites/${site.id}/`, {});
    expect([r.status, r.body]).toEqual([405, { detail: 'Method "POST" not allowed.' }]);
    expect((await call(sim, "PUT", "/api/status/", { json: {} })).status).toBe(405);
  });

  it("serves the API root, app roots and status (with plugins)", async () => {
    const sim = createNetboxSim({ plugin: true });
    expect((await get(sim, "/api/")).body.dcim).toBe("http://netbox.lab/api/dcim/");
    expect((await get(sim, "/api/virtualization/")).body["virtual-machines"]).toBe("http://netbox.lab/api/virtualization/virtual-machines/");
    const status = (await get(sim, "/api/status/")).body;
    expect(status).toMatchObject({ "netbox-version": "4.6.8", "python-version": expect.any(String), plugins: { netbox_proxbox: expect.any(String) } });
  });

  it("rejects non-JSON bodies with 415 and broken JSON with 400", async () => {
    const sim = createNetboxSim();
    const media = await call(sim, "POST", "/api/dcim/sites/", { rawBody: "name=a", contentType: "application/x-www-form-urlencoded" });
    expect([media.status, media.body]).toEqual([415, { detail: 'Unsupported media type "application/x-www-form-urlencoded" in request.' }]);
    const broken = await call(sim, "POST", "/api/dcim/sites/", { rawBody: "{" });
    expect(broken.status).toBe(400);
    expect(broken.body.detail).toMatch(/^JSON parse error - /);
  });

  it("answers injected faults with NetBox's error bodies and counts requests per route template", async () => {
    const sim = createNetboxSim();
    sim.harness.faults.configure({ errorRate: 1, errorStatus: 500 });
    const r = await get(sim, "/api/dcim/sites/");
    expect(r.status).toBe(500);
    expect(Object.keys(r.body)).toEqual(["error", "exception", "netbox_version", "python_version"]);
    sim.harness.faults.reset();
    sim.harness.resetStats();
    sim.create("dcim/sites", { name: "A", slug: "a" });
    await get(sim, "/api/dcim/sites/");
    await get(sim, "/api/dcim/sites/1/");
    const stats = sim.harness.stats();
    expect(stats.requests).toEqual({ "GET /api/dcim/sites/": 1, "GET /api/dcim/sites/{id}/": 1 });
    expect(stats.objects_read).toBe(2);
  });
});
