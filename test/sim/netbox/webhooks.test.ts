/** Event rules and webhooks: delivery after the request, coalescing, body keys per version, signatures (spec §10). */
import { describe, expect, it } from "vitest";
import { SimClock } from "../common/clock";
import { Database } from "./engine/db";
import { Serializer } from "./engine/serialize";
import { RequestEvents } from "./events";
import { createNetboxSim, hmacSha512Hex, type NetboxVersion } from "./index";
import { modelsFor } from "./models";
import { del, patch, post } from "./testing";

interface Received {
  url: string;
  method: string;
  headers: Headers;
  raw: string;
  body: Record<string, unknown>;
}

function hooked(version: NetboxVersion = "4.6", rule: Record<string, unknown> = {}, status = 200) {
  const received: Received[] = [];
  const sim = createNetboxSim({
    version,
    webhookFetch: async (req) => {
      const raw = await req.text();
      received.push({ url: req.url, method: req.method, headers: req.headers, raw, body: JSON.parse(raw) });
      return new Response("ok", { status });
    },
  });
  const hook = sim.create("extras/webhooks", { name: "outpost", payload_url: "https://outpost.example/hooks/netbox", secret: "my-secret", additional_headers: "X-Source: netbox-sim" });
  sim.create("extras/event-rules", {
    name: "sites",
    object_types: ["dcim.site"],
    event_types: ["object_created", "object_updated", "object_deleted"],
    action_object_type: "extras.webhook",
    action_object_id: hook.id,
    ...rule,
  });
  return { sim, received };
}

describe("webhook signatures", () => {
  it("matches the spec's HMAC-SHA512 test vector", async () => {
    const body = new TextEncoder().encode('{"event":"created","object_type":"dcim.site","data":{"id":1}}');
    expect(await hmacSha512Hex("my-secret", body)).toBe(
      "7695ecf044e93983204d1d3675f99cd8baf13f0e2e6471957fbd727eaa5b649811bc557177e0b62627e0edf66be501ecbcd4d42d68e1c6c4322d20c7ab3a412c",
    );
  });

  it("signs the exact body bytes sent (Python json.dumps spacing) and sends the webhook's headers", async () => {
    const { sim, received } = hooked();
    await post(sim, "/api/dcim/sites/", { name: "Zürich", slug: "zrh" });
    await sim.drainWebhooks();
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect([r.method, r.url, r.headers.get("content-type"), r.headers.get("x-source")]).toEqual(["POST", "https://outpost.example/hooks/netbox", "application/json", "netbox-sim"]);
    expect(r.raw.startsWith('{"event": "created", "timestamp": ')).toBe(true);
    expect(r.raw).toContain('"name": "Z\\u00fcrich"');
    expect(r.headers.get("x-hook-signature")).toBe(await hmacSha512Hex("my-secret", new TextEncoder().encode(r.raw)));
  });

  it("sends no signature header without a secret", async () => {
    const { sim, received } = hooked();
    sim.update("extras/webhooks", 1, { secret: "" });
    await post(sim, "/api/dcim/sites/", { name: "A", slug: "a" });
    await sim.drainWebhooks();
    expect(received[0]!.headers.has("x-hook-signature")).toBe(false);
  });
});

describe("webhook bodies per version", () => {
  const keys: Record<NetboxVersion, string[]> = {
    "4.2": ["event", "timestamp", "model", "username", "request_id", "data", "snapshots"],
    "4.4": ["event", "timestamp", "object_type", "model", "username", "request_id", "data", "snapshots"],
    "4.5": ["event", "timestamp", "object_type", "username", "request_id", "data", "snapshots"],
    "4.6": ["event", "timestamp", "object_type", "username", "request_id", "data", "request", "snapshots"],
  };
  for (const version of Object.keys(keys) as NetboxVersion[]) {
    it(`uses NetBox ${version}'s default keys`, async () => {
      const { sim, received } = hooked(version);
      const res = await post(sim, "/api/dcim/sites/", { name: "A", slug: "a" });
      await sim.drainWebhooks();
      const body = received[0]!.body;
      expect(Object.keys(body)).toEqual(keys[version]);
      expect(body.event).toBe("created");
      expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
      expect(body.request_id).toBe(res.headers.get("x-request-id"));
      expect(body.username).toBe("admin");
      if ("model" in body) expect(body.model).toBe("site");
      if ("object_type" in body) expect(body.object_type).toBe("dcim.site");
      if (version === "4.6") expect(body.request).toEqual({ id: res.headers.get("x-request-id"), method: "POST", path: "/api/dcim/sites/", user: "admin" });
    });
  }

  it("carries the API representation (relative URLs) and Django snapshots (raw FK ids, sorted tag names)", async () => {
    const { sim, received } = hooked();
    sim.create("extras/tags", { name: "zeta", slug: "zeta" });
    sim.create("extras/tags", { name: "alpha", slug: "alpha" });
    const tenant = sim.create("tenancy/tenants", { name: "T", slug: "t" });
    await post(sim, "/api/dcim/sites/", { name: "A", slug: "a", tenant: tenant.id, tags: [1, 2] });
    await patch(sim, "/api/dcim/sites/1/", { description: "changed" });
    await sim.drainWebhooks();
    const [created, updated] = received.map((r) => r.body) as Array<Record<string, any>>;
    expect(created!.data).toMatchObject({ id: 1, url: "/api/dcim/sites/1/", display_url: "/dcim/sites/1/", tenant: { id: tenant.id, url: "/api/tenancy/tenants/1/" } });
    expect(created!.snapshots.prechange).toBeNull();
    expect(created!.snapshots.postchange).toMatchObject({ name: "A", tenant: tenant.id, status: "active", tags: ["alpha", "zeta"] });
    expect(created!.snapshots.postchange).not.toHaveProperty("id");
    expect(updated!.snapshots.prechange.description).toBe("");
    expect(updated!.snapshots.postchange.description).toBe("changed");
  });
});

describe("event rule processing", () => {
  it("sends after the request, one event per object of a bulk write, and freezes the data of deletes", async () => {
    const { sim, received } = hooked();
    const r = await post(sim, "/api/dcim/sites/", [
      { name: "A", slug: "a" },
      { name: "B", slug: "b" },
    ]);
    expect(r.status).toBe(201);
    expect(received).toHaveLength(0);
    expect(sim.pendingDeliveries).toBe(2);
    await sim.drainWebhooks();
    expect(received.map((x) => [x.body.event, (x.body.data as { name: string }).name])).toEqual([
      ["created", "A"],
      ["created", "B"],
    ]);
    await del(sim, "/api/dcim/sites/", [{ id: 1 }, { id: 2 }]);
    await sim.drainWebhooks();
    const deletes = received.slice(2).map((x) => x.body);
    expect(deletes.map((b) => [b.event, (b.data as { name: string }).name, (b.snapshots as { postchange: unknown }).postchange])).toEqual([
      ["deleted", "A", null],
      ["deleted", "B", null],
    ]);
  });

  it("honours event types, enabled and conditions, and does not retry a failed delivery", async () => {
    const { sim, received } = hooked("4.6", { event_types: ["object_updated"], conditions: { attr: "status.value", value: "planned" } }, 503);
    await post(sim, "/api/dcim/sites/", { name: "A", slug: "a" });
    await patch(sim, "/api/dcim/sites/1/", { description: "still active" });
    await patch(sim, "/api/dcim/sites/1/", { status: "planned" });
    await sim.drainWebhooks();
    expect(received.map((x) => (x.body.data as { status: { value: string } }).status.value)).toEqual(["planned"]);
    expect(sim.deliveries.map((d) => d.status)).toEqual([503]);
    sim.update("extras/event-rules", 1, { enabled: false });
    await patch(sim, "/api/dcim/sites/1/", { status: "active" });
    await sim.drainWebhooks();
    expect(received).toHaveLength(1);
  });

  it("dispatches nothing for a request that failed and was rolled back", async () => {
    const { sim, received } = hooked();
    sim.create("dcim/sites", { name: "A", slug: "a" });
    sim.create("dcim/sites", { name: "B", slug: "b" });
    const r = await patch(sim, "/api/dcim/sites/", [
      { id: 1, description: "saved, then rolled back" },
      { id: 2, status: "bogus" },
    ]);
    expect(r.status).toBe(400);
    await sim.drainWebhooks();
    expect(received).toHaveLength(0);
    expect(sim.get("dcim/sites", 1)!.description).toBe("");
  });

  it("fires for cascaded deletes of watched types", async () => {
    const { sim, received } = hooked("4.6", { object_types: ["virtualization.vminterface", "virtualization.virtualmachine"], event_types: ["object_deleted"] });
    const site = sim.create("dcim/sites", { name: "S", slug: "s" });
    const vm = sim.create("virtualization/virtual-machines", { name: "vm", site: site.id });
    sim.create("virtualization/interfaces", { name: "net0", virtual_machine: vm.id });
    await del(sim, `/api/virtualization/virtual-machines/${vm.id}/`);
    await sim.drainWebhooks();
    expect(received.map((r) => [r.body.object_type, r.body.event])).toEqual([
      ["virtualization.vminterface", "deleted"],
      ["virtualization.virtualmachine", "deleted"],
    ]);
  });

  it("coalesces changes per object within a request: an update then a delete is one delete", () => {
    const db = new Database(modelsFor("4.6", false), new SimClock("manual"), "4.6");
    const serializer = new Serializer(db);
    const events = new RequestEvents(serializer, "4.6", () => true);
    const site = db.model("dcim.site");
    const row = { id: 7, name: "A", slug: "a", status: "active", tags: [], custom_fields: {}, created: 1, last_updated: 1 };
    const changed = { ...row, description: "x", last_updated: 2 };
    events.changed("updated", site, row, changed);
    events.changed("updated", site, changed, { ...changed, last_updated: 3 });
    events.changed("deleted", site, changed, null);
    expect(events.queue.size).toBe(1);
    const e = [...events.queue.values()][0]!;
    expect([e.event, e.prechange?.description, e.postchange, e.frozen?.name]).toEqual(["deleted", null, null, "A"]);
    expect(events.writes).toBe(3);
  });
});
