/** The typed NetBox client against the in-process NetBox simulator, in the Workers runtime. */
import { describe, expect, it } from "vitest";
import type { NetboxCredentials } from "../../src/upstream/credentials";
import { ConnectionLimiter } from "../../src/upstream/limiter";
import { listPath, NetboxClient, type NetboxClientOptions, parseNetboxWebhook, summarizeNetboxErrors, verifyNetboxWebhook } from "../../src/upstream/netbox";
import { Transport, type UpstreamTarget } from "../../src/upstream/transport";
import { createNetboxSim, type NetboxSim, type NetboxVersion } from "../sim/netbox";
import { type FetchLike, labTarget, rejection, wire } from "../helpers/upstream";



interface Setup {
  credentials?: NetboxCredentials;
  fetch?: FetchLike;
  target?: Partial<UpstreamTarget>;
  options?: NetboxClientOptions;
}

function clientFor(sim: NetboxSim, setup: Setup = {}) {
  const credentials: NetboxCredentials = setup.credentials ?? (sim.tokens.v2.key ? { type: "token_v2", key: sim.tokens.v2.key, secret: sim.tokens.v2.secret } : { type: "token_v1", token: sim.tokens.v1 });
  const transport = new Transport(labTarget('netbox "lab"', "netbox.lab", setup.target), { limiter: new ConnectionLimiter(), fetch: setup.fetch ?? wire(sim), sleep: async () => undefined });
  return new NetboxClient(transport, credentials, { sleep: async () => undefined, ...setup.options });
}

/** Records every request URL and method the client sends. */
function recorder(sim: NetboxSim) {
  const sent: Array<{ method: string; url: URL; body: string }> = [];
  const fetch: FetchLike = async (req) => {
    sent.push({ method: req.method, url: new URL(req.url), body: req.method === "GET" ? "" : await req.clone().text() });
    return sim.fetch(req);
  };
  return { sent, fetch };
}

function lab(version: NetboxVersion = "4.6", vms = 7) {
  const sim = createNetboxSim({ version });
  const site = sim.create("dcim/sites", { name: "Lab", slug: "lab" });
  sim.create("virtualization/cluster-types", { name: "Proxmox", slug: "proxmox" });
  const cluster = sim.create("virtualization/clusters", { name: "pve", type: 1, scope_type: "dcim.site", scope_id: site.id });
  for (let i = 1; i <= vms; i++) sim.create("virtualization/virtual-machines", { name: `vm${i}`, cluster: cluster.id, memory: i * 1024 });
  return { sim, site, cluster };
}


describe("NetboxClient authentication and status", () => {
  it("authenticates with v2 and v1 tokens and reads the status with the API version", async () => {
    const { sim } = lab();
    const v2 = await clientFor(sim).status();
    expect(v2).toMatchObject({ netboxVersion: "4.6.8", apiVersion: "4.6", plugins: {} });
    const v1 = await clientFor(sim, { credentials: { type: "token_v1", token: sim.tokens.v1 } }).status();
    expect(v1.apiVersion).toBe("4.6");
    const old = lab("4.2").sim;
    expect((await clientFor(old).status()).apiVersion).toBe("4.2");
  });

  it("keeps a 403 with NetBox's detail in the message", async () => {
    const { sim } = lab();
    const err = await rejection(clientFor(sim, { credentials: { type: "token_v2", key: "abcdefghijkl", secret: "x".repeat(40) } }).status());
    expect([err.status, err.code, err.message]).toEqual([403, "upstream_rejected", 'netbox "lab" rejected the request: Invalid v2 token']);
    expect(err.details).toEqual({ upstream_status: 403, netbox_errors: { detail: "Invalid v2 token" } });
  });
});

describe("NetboxClient reads", () => {
  it("pages by cursor on 4.6: start=0, then the server's next links, all objects in id order", async () => {
    const { sim } = lab("4.6");
    const { sent, fetch } = recorder(sim);
    const client = clientFor(sim, { fetch, options: { pageSize: 3 } });
    const pages: number[][] = [];
    for await (const page of client.pages<{ id: number }>("virtualization/virtual-machines")) pages.push(page.map((v) => v.id));
    expect(pages).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    const lists = sent.filter((s) => s.url.pathname === "/api/virtualization/virtual-machines/");
    expect(lists.map((s) => `${s.url.searchParams.get("start")}/${s.url.searchParams.get("offset")}`)).toEqual(["0/null", "4/null", "7/null"]);
    expect(sent[0]!.url.pathname).toBe("/api/status/");
  });

  it("pages by offset before 4.6 and when an ordering is asked for", async () => {
    const old = lab("4.5");
    const { sent, fetch } = recorder(old.sim);
    const names = (await clientFor(old.sim, { fetch, options: { pageSize: 3 } }).list<{ name: string }>("/api/virtualization/virtual-machines/")).map((v) => v.name);
    expect(names).toEqual(["vm1", "vm2", "vm3", "vm4", "vm5", "vm6", "vm7"]);
    expect(sent.filter((s) => s.url.pathname !== "/api/status/").map((s) => s.url.searchParams.get("offset"))).toEqual([null, "3", "6"]);
    const { sim } = lab("4.6");
    const ordered = await clientFor(sim, { options: { pageSize: 2 } }).list<{ name: string }>("virtualization/virtual-machines", {}, { ordering: "-memory" });
    expect(ordered.map((v) => v.name)).toEqual(["vm7", "vm6", "vm5", "vm4", "vm3", "vm2", "vm1"]);
  });

  it("sends repeated filters, brief and fields, and follows next links below a base path", async () => {
    const { sim } = lab();
    const { sent, fetch } = recorder(sim);
    const viaProxy: FetchLike = (req) => {
      const url = new URL(req.url);
      // A reverse proxy serving NetBox under /netbox: strip the prefix, and NetBox builds links without it.
      return fetch(new Request(`${url.origin}${url.pathname.replace(/^\/netbox/, "")}${url.search}`, req));
    };
    const client = clientFor(sim, { fetch: viaProxy, target: { basePath: "/netbox" }, options: { pageSize: 2 } });
    const some = await client.list<{ id: number; name: string }>("virtualization/virtual-machines", { id: [2, 4, 6], name__n: "vm6" }, { fields: ["id", "name"] });
    expect(some).toEqual([
      { id: 2, name: "vm2" },
      { id: 4, name: "vm4" },
    ]);
    const q = sent.find((s) => s.url.searchParams.has("fields"))!.url.searchParams;
    expect([q.getAll("id"), q.get("fields"), q.get("name__n")]).toEqual([["2", "4", "6"], "id,name", "vm6"]);
    const brief = await client.list("virtualization/clusters", {}, { brief: true });
    expect(brief).toEqual([{ id: 1, url: "http://netbox.lab/api/virtualization/clusters/1/", display: "pve", name: "pve", description: "", virtualmachine_count: 7 }]);
  });

  it("maps an invalid filter value to a 400 with django-filter's message", async () => {
    const { sim } = lab();
    const err = await rejection(clientFor(sim).list("virtualization/virtual-machines", { cluster_id: 99 }));
    expect([err.status, err.message]).toEqual([400, 'netbox "lab" rejected the request: cluster_id: Select a valid choice. 99 is not one of the available choices.']);
  });

  it("gets one object with its ETag, and a 404 with NetBox's detail", async () => {
    const { sim } = lab();
    const client = clientFor(sim);
    const { object, etag } = await client.getWithEtag<{ name: string }>("virtualization/virtual-machines", 3);
    expect(object.name).toBe("vm3");
    expect(etag).toMatch(/^W\/"/);
    const err = await rejection(client.get("virtualization/virtual-machines", 99));
    expect([err.status, err.message]).toEqual([404, 'netbox "lab" rejected the request: No VirtualMachine matches the given query.']);
    expect((await clientFor(lab("4.5").sim).getWithEtag("dcim/sites", 1)).etag).toBeNull();
  });

  it("refuses paths that are not API paths", () => {
    expect(listPath("dcim/sites")).toBe("/api/dcim/sites/");
    expect(listPath("/api/plugins/proxbox/sync-state/virtual-machines/")).toBe("/api/plugins/proxbox/sync-state/virtual-machines/");
    expect(() => listPath("../admin")).toThrow(RangeError);
    expect(() => listPath("")).toThrow(RangeError);
  });
});

describe("NetboxClient writes", () => {
  it("creates one object, and lists in chunks of bulkChunkSize", async () => {
    const { sim } = lab("4.6", 0);
    const { sent, fetch } = recorder(sim);
    const client = clientFor(sim, { fetch, options: { bulkChunkSize: 2 } });
    const one = await client.create<{ id: number; name: string }>("virtualization/virtual-machines", { name: "solo", cluster: 1 });
    expect(one.name).toBe("solo");
    const many = await client.create<{ name: string }>("virtualization/virtual-machines", ["a", "b", "c", "d", "e"].map((name) => ({ name, cluster: 1 })));
    expect(many.map((v) => v.name)).toEqual(["a", "b", "c", "d", "e"]);
    const posts = sent.filter((s) => s.method === "POST");
    expect(posts.map((p) => {
      const body = JSON.parse(p.body) as unknown;
      return Array.isArray(body) ? body.length : "one object";
    })).toEqual(["one object", 2, 2, 1]);
  });

  it("reports which chunk failed, the per-item errors, and what earlier chunks wrote", async () => {
    const { sim } = lab("4.6", 0);
    const client = clientFor(sim, { options: { bulkChunkSize: 2 } });
    const err = await rejection(client.create("virtualization/virtual-machines", [{ name: "a", cluster: 1 }, { name: "b", cluster: 1 }, { name: "c", cluster: 1 }, { cluster: 1 }]));
    expect(err.status).toBe(400);
    expect(err.message).toBe('netbox "lab" rejected the request: item 1: name: This field is required. (bulk chunk 2; 2 objects were written by earlier chunks)');
    expect(err.details).toMatchObject({ chunk: 1, objects_already_written: 2, netbox_errors: [{}, { name: ["This field is required."] }] });
    expect(sim.count("virtualization/virtual-machines")).toBe(2);
  });

  it("patches one object, honouring If-Match (412 kept)", async () => {
    const { sim } = lab();
    const client = clientFor(sim);
    const { etag } = await client.getWithEtag("virtualization/virtual-machines", 1);
    expect((await client.patch<{ memory: number }>("virtualization/virtual-machines", 1, { memory: 1 }, { ifMatch: etag! })).memory).toBe(1);
    const stale = await rejection(client.patch("virtualization/virtual-machines", 1, { memory: 2 }, { ifMatch: etag! }));
    expect([stale.status, stale.message]).toEqual([412, 'netbox "lab" rejected the request: Precondition failed.']);
  });

  it("updates and deletes in chunks (bulk PATCH/DELETE with ids), and deletes one object", async () => {
    const { sim } = lab();
    const { sent, fetch } = recorder(sim);
    const client = clientFor(sim, { fetch, options: { bulkChunkSize: 3 } });
    const updated = await client.update<{ id: number; memory: number }>("virtualization/virtual-machines", [1, 2, 3, 4].map((id) => ({ id, memory: 512 })));
    expect(updated.map((v) => [v.id, v.memory])).toEqual([
      [1, 512],
      [2, 512],
      [3, 512],
      [4, 512],
    ]);
    await client.delete("virtualization/virtual-machines", [1, 2, 3, 4, 5]);
    await client.deleteOne("virtualization/virtual-machines", 6);
    expect(sim.all("virtualization/virtual-machines").map((v) => v.name)).toEqual(["vm7"]);
    expect(sent.map((s) => `${s.method} ${s.url.pathname}`)).toEqual([
      "PATCH /api/virtualization/virtual-machines/",
      "PATCH /api/virtualization/virtual-machines/",
      "DELETE /api/virtualization/virtual-machines/",
      "DELETE /api/virtualization/virtual-machines/",
      "DELETE /api/virtualization/virtual-machines/6/",
    ]);
    const gone = await rejection(client.deleteOne("virtualization/virtual-machines", 6));
    expect(gone.status).toBe(404);
    const protectedDelete = await rejection(client.deleteOne("virtualization/clusters", 1));
    expect([protectedDelete.status, protectedDelete.message]).toEqual([409, 'netbox "lab" rejected the request: Unable to delete object. 1 dependent objects were found: vm7 (7)']);
  });

  it("never retries a creating POST but retries reads and idempotent bulk writes", async () => {
    const { sim } = lab();
    sim.harness.faults.configure({ errorRate: 1, errorStatus: 500 });
    const client = clientFor(sim, { target: { retries: 2 } });
    expect((await rejection(client.create("dcim/sites", { name: "x", slug: "x" }))).status).toBe(502);
    expect((await rejection(client.get("dcim/sites", 1))).status).toBe(502);
    expect((await rejection(client.update("dcim/sites", [{ id: 1, description: "x" }]))).status).toBe(502);
    expect(sim.harness.stats().faults_injected).toEqual({ error: 1 + 3 + 3 });
  });
});

describe("NetboxClient errors from the wire", () => {
  it("maps 5xx to 502, a dropped connection to 502 and a hang to 504", async () => {
    const { sim } = lab();
    const client = clientFor(sim, { target: { timeoutMs: 50 } });
    sim.harness.faults.configure({ errorRate: 1, errorStatus: 503 });
    const unavailable = await rejection(client.get("dcim/sites", 1));
    expect([unavailable.status, unavailable.code, unavailable.message]).toEqual([502, "upstream_error", 'netbox "lab" failed: Service temporarily unavailable, try again later.']);
    sim.harness.faults.configure({ errorRate: 0, dropRate: 1 });
    const dropped = await rejection(client.get("dcim/sites", 1));
    expect([dropped.status, dropped.code]).toEqual([502, "upstream_unreachable"]);
    sim.harness.faults.configure({ dropRate: 0, timeoutRate: 1, hangMs: 1000 });
    const hung = await rejection(client.get("dcim/sites", 1));
    expect([hung.status, hung.code]).toEqual([504, "upstream_timeout"]);
  });

  it("summarises NetBox error bodies", () => {
    expect(summarizeNetboxErrors({ detail: "Not found." })).toBe("Not found.");
    expect(summarizeNetboxErrors({ name: ["a", "b"], custom_fields: { x: "no" } })).toBe("name: a b; custom_fields: x: no");
    expect(summarizeNetboxErrors([{}, { vid: ["bad"] }])).toBe("item 1: vid: bad");
    expect(summarizeNetboxErrors(["'start' and 'offset' are mutually exclusive."])).toBe("'start' and 'offset' are mutually exclusive.");
    expect(summarizeNetboxErrors({ error: "boom", exception: "IntegrityError" })).toBe("boom");
    expect(summarizeNetboxErrors(undefined)).toBeUndefined();
  });
});

describe("NetboxClient IP allocation", () => {
  function ipam(prefix = "10.0.0.0/29") {
    const sim = createNetboxSim();
    sim.create("ipam/prefixes", { prefix });
    return sim;
  }

  it("allocates the next free addresses in one POST, passing fields through", async () => {
    const sim = ipam();
    const client = clientFor(sim);
    expect((await client.availableIps(1, 2)).map((a) => a.address)).toEqual(["10.0.0.1/29", "10.0.0.2/29"]);
    const got = await client.allocateIps(1, [{ description: "a" }, { description: "b", prefix_length: 32 }]);
    expect(got.map((ip) => ip.address)).toEqual(["10.0.0.1/29", "10.0.0.2/32"]);
    expect(await client.allocateIps(1, [])).toEqual([]);
  });

  it("says clearly when the prefix is exhausted (409 kept), without retrying", async () => {
    const sim = ipam("10.0.0.0/30");
    const { sent, fetch } = recorder(sim);
    const client = clientFor(sim, { fetch });
    const err = await rejection(client.allocateIps(1, [{}, {}, {}]));
    expect([err.status, err.message]).toEqual([409, 'netbox "lab" rejected the request: prefix 1 is exhausted: 3 addresses requested, 2 free']);
    expect(err.details).toMatchObject({ requested: 3, available: 2 });
    expect(sent.map((s) => s.method)).toEqual(["POST", "GET"]);
  });

  it("retries a 409 with backoff while the prefix still has room, and gives up after allocationAttempts", async () => {
    const sim = ipam();
    const delays: number[] = [];
    let conflicts = 2;
    const contended: FetchLike = async (req) => {
      if (req.method === "POST" && conflicts-- > 0) {
        return new Response(JSON.stringify({ detail: "Insufficient resources are available to satisfy the request" }), { status: 409, headers: { "content-type": "application/json" } });
      }
      return sim.fetch(req);
    };
    const options = { allocationBackoffMs: 10, sleep: async (ms: number) => void delays.push(ms) };
    const got = await clientFor(sim, { fetch: contended, options }).allocateIps(1, [{}]);
    expect(got.map((ip) => ip.address)).toEqual(["10.0.0.1/29"]);
    expect(delays).toEqual([10, 20]);
    conflicts = 99;
    const err = await rejection(clientFor(sim, { fetch: contended, options: { ...options, allocationAttempts: 3 } }).allocateIps(1, [{}]));
    expect([err.status, err.message]).toEqual([409, 'netbox "lab" rejected the request: allocation in prefix 1 still conflicted after 3 attempts']);
  });

  it("gets distinct addresses for concurrent allocations", async () => {
    const sim = ipam("10.1.0.0/26");
    const client = clientFor(sim);
    const results = await Promise.all(Array.from({ length: 20 }, () => client.allocateIps(1, [{}])));
    expect(new Set(results.map((r) => r[0]!.address)).size).toBe(20);
  });
});

describe("NetBox webhooks", () => {
  const VECTOR_BODY = '{"event":"created","object_type":"dcim.site","data":{"id":1}}';
  const VECTOR_SIG = "7695ecf044e93983204d1d3675f99cd8baf13f0e2e6471957fbd727eaa5b649811bc557177e0b62627e0edf66be501ecbcd4d42d68e1c6c4322d20c7ab3a412c";

  it("verifies the spec's vector and rejects tampering, other secrets, and missing or malformed signatures", async () => {
    expect(await verifyNetboxWebhook(VECTOR_BODY, VECTOR_SIG, "my-secret")).toBe(true);
    expect(await verifyNetboxWebhook(new TextEncoder().encode(VECTOR_BODY), VECTOR_SIG.toUpperCase(), "my-secret")).toBe(true);
    expect(await verifyNetboxWebhook(VECTOR_BODY.replace("1", "2"), VECTOR_SIG, "my-secret")).toBe(false);
    expect(await verifyNetboxWebhook(VECTOR_BODY, VECTOR_SIG, "other-secret")).toBe(false);
    expect(await verifyNetboxWebhook(VECTOR_BODY, null, "my-secret")).toBe(false);
    expect(await verifyNetboxWebhook(VECTOR_BODY, VECTOR_SIG.slice(2), "my-secret")).toBe(false);
    expect(await verifyNetboxWebhook(VECTOR_BODY, `${VECTOR_SIG.slice(0, 126)}zz`, "my-secret")).toBe(false);
  });

  for (const version of ["4.2", "4.4", "4.5", "4.6"] as const) {
    it(`verifies and parses what NetBox ${version} sends`, async () => {
      const received: Array<{ raw: string; signature: string | null }> = [];
      const sim = createNetboxSim({
        version,
        webhookFetch: async (req) => {
          received.push({ raw: await req.text(), signature: req.headers.get("x-hook-signature") });
          return new Response(null, { status: 204 });
        },
      });
      sim.create("extras/webhooks", { name: "h", payload_url: "https://outpost/hook", secret: "s3cret" });
      sim.create("extras/event-rules", { name: "r", object_types: ["dcim.site"], event_types: ["object_created", "object_deleted"], action_object_type: "extras.webhook", action_object_id: 1 });
      const client = clientFor(sim);
      const site = await client.create<{ id: number }>("dcim/sites", { name: "A", slug: "a" });
      await client.deleteOne("dcim/sites", site.id);
      await sim.drainWebhooks();
      expect(received).toHaveLength(2);
      for (const r of received) expect(await verifyNetboxWebhook(r.raw, r.signature, "s3cret")).toBe(true);
      const [created, deleted] = received.map((r) => parseNetboxWebhook(r.raw));
      expect(created).toMatchObject({ event: "created", objectType: "dcim.site", model: "site", objectId: site.id, username: "admin", prechange: null });
      expect(created!.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(created!.postchange).toMatchObject({ name: "A" });
      expect(deleted).toMatchObject({ event: "deleted", objectId: site.id, postchange: null, data: { name: "A" } });
      expect(created!.dedupKey).toBe(`${created!.requestId}|dcim.site|${site.id}|created|${created!.timestamp}`);
      expect(created!.dedupKey).not.toBe(deleted!.dedupKey);
      expect([created!.method, created!.path]).toEqual(version === "4.6" ? ["POST", "/api/dcim/sites/"] : [null, null]);
    });
  }

  it("parses 4.7 bodies (no username/request_id) and refuses foreign bodies", () => {
    const body = { event: "updated", timestamp: "2026-03-06T15:11:23.503186+00:00", object_type: "virtualization.virtualmachine", data: { id: 9 }, request: { id: "r-1", method: "PATCH", path: "/api/x/", user: "ops" }, snapshots: { prechange: {}, postchange: {} } };
    expect(parseNetboxWebhook(body)).toMatchObject({ event: "updated", objectType: "virtualization.virtualmachine", model: "virtualmachine", requestId: "r-1", username: "ops", objectId: 9 });
    expect(() => parseNetboxWebhook('{"hello":"world"}')).toThrow(TypeError);
    expect(() => parseNetboxWebhook({ ...body, event: "exploded" })).toThrow(/unknown event/);
  });
});
