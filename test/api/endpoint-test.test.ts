import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RouterosCredentials } from "../../src/upstream/credentials";
import { SimClock } from "../sim/common/clock";
import { buildLab, type Lab } from "../sim/lab";
import { call, json, loginAdmin, userWithRole, type Session } from "../helpers/api";
import { endpointFor, installLab } from "../helpers/lab";

let admin: Session;
let lab: Lab;

beforeAll(async () => {
  admin = await loginAdmin();
});
beforeEach(() => {
  lab = buildLab({ nodes: 2, vmsPerNode: 3, routers: 2, seed: 7, clock: new SimClock("manual") });
  installLab(lab);
});

let n = 0;
async function register(body: Record<string, unknown>) {
  return json(await call("/api/v1/endpoints", { token: admin.access_token, body: { ...body, name: `${body.name}-${++n}` } }), 201);
}
const probe = (id: number, options: Parameters<typeof call>[1] = {}) => call(`/api/v1/endpoints/${id}/test`, { method: "POST", token: admin.access_token, ...options });

describe("POST /api/v1/endpoints/:id/test", () => {
  it("happy: reaches Proxmox, NetBox and RouterOS through their typed clients and reports version and latency", async () => {
    const pve = await register(endpointFor(lab.service("proxmox")));
    const nb = await register(endpointFor(lab.service("netbox")));
    const router = await register(endpointFor(lab.service("routeros")));
    const a = await json(await probe(pve.id), 200);
    expect(a).toMatchObject({ ok: true, kind: "proxmox", version: expect.stringMatching(/^9\./) });
    expect(typeof a.latency_ms).toBe("number");
    expect((await json(await probe(nb.id), 200)).version).toMatch(/^4\.6/);
    const r = await json(await probe(router.id), 200);
    expect(r.version).toMatch(/^7\./);
    expect(lab.proxmox.harness.counters.snapshot().requests).toMatchObject({ "GET /api2/json/version": 1 });
    expect(lab.netbox.harness.counters.snapshot().requests).toMatchObject({ "GET /api/status/": 1 });
  });

  it("happy: over a Workers VPC binding, the binding's fetch carries the request", async () => {
    const e = await register({ ...endpointFor(lab.service("proxmox")), transport: { mode: "vpc", binding: "PVE_LAB" } });
    const seen: string[] = [];
    const binding = { fetch: (req: Request) => (seen.push(req.url), lab.dispatch(req)) };
    expect((await json(await probe(e.id, { bindings: { PVE_LAB: binding } }), 200)).kind).toBe("proxmox");
    expect(seen).toEqual(["http://pve.lab:8006/api2/json/version"]);
    const missing = await json(await probe(e.id), 400);
    expect(missing.error.message).toMatch(/VPC binding "PVE_LAB"/);
  });

  it("happy: in access mode the service token travels as CF-Access headers", async () => {
    const e = await register({ ...endpointFor(lab.service("netbox")), transport: { mode: "access", client_id: "id.access", client_secret: "access-secret" } });
    await json(await probe(e.id), 200);
    const sent = vi.mocked(globalThis.fetch).mock.calls.map(([input, init]) => new Request(input as RequestInfo, init));
    expect(sent.at(-1)!.headers.get("cf-access-client-id")).toBe("id.access");
    expect(sent.at(-1)!.headers.get("cf-access-client-secret")).toBe("access-secret");
  });

  it("error: unreachable → 502, timeout → 504, rejected credentials keep the upstream status", async () => {
    const gone = await register({ ...endpointFor(lab.service("proxmox")), host: "nowhere.lab", retries: 0 });
    expect((await json(await probe(gone.id), 502)).error.code).toBe("upstream_unreachable");

    const slow = await register({ ...endpointFor(lab.service("routeros")), timeout_ms: 150, retries: 0 });
    lab.service("routeros").harness.faults.configure({ timeoutRate: 1, hangMs: 2_000 });
    expect((await json(await probe(slow.id), 504)).error.code).toBe("upstream_timeout");

    const wrong = await register({ ...endpointFor(lab.service("proxmox")), credentials: { type: "token", token_id: "root@pam!outpost", secret: "wrong-secret" } });
    const rejected = await json(await probe(wrong.id), 401);
    expect(rejected.error).toMatchObject({ code: "upstream_rejected", details: { upstream_status: 401 } });

    const nb = await register({ ...endpointFor(lab.service("netbox")), credentials: { type: "token_v1", token: "0".repeat(40) } });
    expect((await json(await probe(nb.id), 403)).error.code).toBe("upstream_rejected");
  });

  it("error: an upstream 5xx is a 502 after the configured retries", async () => {
    const e = await register({ ...endpointFor(lab.service("netbox")), retries: 2, backoff_ms: 1 });
    lab.netbox.harness.faults.configure({ errorRate: 1, errorStatus: 503 });
    expect((await json(await probe(e.id), 502)).error.code).toBe("upstream_error");
    expect(lab.netbox.harness.counters.snapshot().faults_injected).toEqual({ error: 3 });
  });

  it("security: a viewer cannot probe; nothing secret comes back", async () => {
    const e = await register(endpointFor(lab.service("routeros")));
    const viewer = await userWithRole(admin.access_token, "viewer");
    expect((await probe(e.id, { token: viewer.access_token })).status).toBe(403);
    const operator = await userWithRole(admin.access_token, "operator");
    const res = await probe(e.id, { token: operator.access_token });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain((lab.service("routeros").credentials as RouterosCredentials).password);
  });
});
