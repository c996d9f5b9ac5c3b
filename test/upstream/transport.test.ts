import { describe, expect, it } from "vitest";
import { ConnectionLimiter, WORKERS_CONNECTION_LIMIT } from "../../src/upstream/limiter";
import { Transport, upstreamFailure, upstreamUrl, type UpstreamTarget } from "../../src/upstream/transport";

const target = (over: Partial<UpstreamTarget> = {}): UpstreamTarget => ({
  label: 'proxmox endpoint "lab"',
  scheme: "https",
  host: "pve.lab",
  port: 8006,
  basePath: "",
  transport: { mode: "direct" },
  timeoutMs: 1000,
  retries: 2,
  backoffMs: 1,
  ...over,
});

const noSleep = async () => undefined;

describe("upstreamUrl", () => {
  it("joins scheme, host, port, base path, path and query (booleans as 1/0, arrays repeated)", () => {
    expect(upstreamUrl(target({ basePath: "/netbox/" }), "/api/status/", { a: true, b: false, id: [1, 2], skip: undefined })).toBe(
      "https://pve.lab:8006/netbox/api/status/?a=1&b=0&id=1&id=2",
    );
    expect(upstreamUrl(target({ host: "fd00::1" }), "/x")).toBe("https://[fd00::1]:8006/x");
  });
});

describe("Transport", () => {
  it("sends Access service-token headers in access mode", async () => {
    let seen: Headers | undefined;
    const t = new Transport(target({ transport: { mode: "access", clientId: "cid.access", clientSecret: "csecret" } }), {
      limiter: new ConnectionLimiter(),
      fetch: async (req) => {
        seen = req.headers;
        return new Response("{}");
      },
    });
    await t.request({ method: "GET", path: "/api2/json/version" });
    expect(seen?.get("CF-Access-Client-Id")).toBe("cid.access");
    expect(seen?.get("CF-Access-Client-Secret")).toBe("csecret");
  });

  it("uses the named VPC binding's fetch and never the global fetch in vpc mode", async () => {
    const urls: string[] = [];
    const binding = { fetch: async (req: Request) => (urls.push(req.url), new Response('{"data":{}}')) };
    const t = new Transport(target({ transport: { mode: "vpc", binding: "PVE_LAB" } }), {
      limiter: new ConnectionLimiter(),
      bindings: { PVE_LAB: binding },
      fetch: async () => {
        throw new Error("direct fetch must not be used");
      },
    });
    const res = await t.request({ method: "GET", path: "/api2/json/version" });
    expect(res.status).toBe(200);
    expect(urls).toEqual(["https://pve.lab:8006/api2/json/version"]);
  });

  it("answers 400 naming a VPC binding the Worker does not have", async () => {
    const t = new Transport(target({ transport: { mode: "vpc", binding: "MISSING" } }), { limiter: new ConnectionLimiter(), bindings: {} });
    await expect(t.request({ method: "GET", path: "/" })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("MISSING") });
  });

  it("maps a connection failure to 502 after retrying", async () => {
    let calls = 0;
    const t = new Transport(target(), {
      limiter: new ConnectionLimiter(),
      sleep: noSleep,
      fetch: async () => {
        calls++;
        throw new TypeError("Network connection lost.");
      },
    });
    await expect(t.request({ method: "GET", path: "/" })).rejects.toMatchObject({ status: 502, code: "upstream_unreachable" });
    expect(calls).toBe(3);
  });

  it("maps a timeout to 504", async () => {
    const t = new Transport(target({ timeoutMs: 20, retries: 0 }), {
      limiter: new ConnectionLimiter(),
      fetch: (req) =>
        new Promise((_, reject) => req.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))),
    });
    await expect(t.request({ method: "GET", path: "/" })).rejects.toMatchObject({ status: 504, code: "upstream_timeout" });
  });

  it("retries 5xx with backoff and returns the first success", async () => {
    const statuses = [503, 500, 200];
    const delays: number[] = [];
    const t = new Transport(target({ backoffMs: 10 }), {
      limiter: new ConnectionLimiter(),
      sleep: async (ms) => void delays.push(ms),
      fetch: async () => new Response("{}", { status: statuses.shift() }),
    });
    const res = await t.request({ method: "GET", path: "/" });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(3);
    expect(delays).toEqual([10, 20]);
  });

  it("does not retry 4xx, nor a POST unless it is declared idempotent", async () => {
    let calls = 0;
    const t = new Transport(target(), {
      limiter: new ConnectionLimiter(),
      sleep: noSleep,
      fetch: async () => (calls++, new Response("no", { status: calls < 10 ? 500 : 200 })),
    });
    expect((await t.request({ method: "POST", path: "/create" })).status).toBe(500);
    expect(calls).toBe(1);
    await t.request({ method: "PATCH", path: "/bulk", idempotent: true });
    expect(calls).toBe(4);
    calls = 0;
    const t4 = new Transport(target(), { limiter: new ConnectionLimiter(), sleep: noSleep, fetch: async () => (calls++, new Response("", { status: 404 })) });
    expect((await t4.request({ method: "GET", path: "/" })).status).toBe(404);
    expect(calls).toBe(1);
  });

  it(`never has more than ${WORKERS_CONNECTION_LIMIT} requests open at once, however many are issued`, async () => {
    let open = 0;
    let peak = 0;
    const limiter = new ConnectionLimiter();
    const t = new Transport(target(), {
      limiter,
      fetch: async () => {
        open++;
        peak = Math.max(peak, open);
        await new Promise((r) => setTimeout(r, 5));
        open--;
        return new Response("{}");
      },
    });
    await Promise.all(Array.from({ length: 40 }, (_, i) => t.request({ method: "GET", path: `/${i}` })));
    expect(peak).toBe(WORKERS_CONNECTION_LIMIT);
    expect(limiter.peak).toBe(WORKERS_CONNECTION_LIMIT);
  });

  it("keeps upstream 4xx statuses and turns 5xx into 502", () => {
    const mk = (status: number) => ({ status, statusText: "x" }) as never;
    expect(upstreamFailure(target(), mk(403)).status).toBe(403);
    expect(upstreamFailure(target(), mk(404)).code).toBe("upstream_rejected");
    expect(upstreamFailure(target(), mk(500)).status).toBe(502);
  });
});
