import { afterEach, describe, expect, it } from "vitest";
import { log, redact, REDACTED, setLogSink, type LogSink } from "../../src/logging";
import { ADMIN, call } from "../helpers/api";

let restore: LogSink | undefined;
afterEach(() => {
  if (restore) setLogSink(restore);
});

function capture(): string[] {
  const lines: string[] = [];
  restore = setLogSink((line) => lines.push(line));
  return lines;
}

describe("logging", () => {
  it("writes one JSON line per request with id, route, status, duration, tenant and principal", async () => {
    const lines = capture();
    const res = await call("/api/v1/auth/login", { body: ADMIN, source: "192.0.2.7" });
    const token = ((await res.json()) as any).access_token;
    await call("/api/v1/endpoints", { token });
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.event === "request");
    expect(requests).toHaveLength(2);
    expect(requests[1]).toMatchObject({ method: "GET", route: "/api/v1/endpoints", status: 200, tenant: 1, source: "unknown" });
    expect(requests[1].principal).toMatch(/^user:\d+$/);
    expect(requests[0].request_id).toBe(res.headers.get("x-request-id"));
    expect(typeof requests[0].duration_ms).toBe("number");
  });

  it("never logs the password, token or cookie of a request", async () => {
    const lines = capture();
    await call("/api/v1/auth/login", { body: { username: ADMIN.username, password: "Hunter2-secret-pw" } });
    const res = await call("/api/v1/auth/login", { body: ADMIN });
    const { access_token, refresh_token } = (await res.json()) as any;
    await call("/api/v1/auth/me", { token: access_token });
    const all = lines.join("\n");
    for (const secret of ["Hunter2-secret-pw", ADMIN.password, access_token, refresh_token]) expect(all).not.toContain(secret);
  });

  it("redacts secrets by key and by shape, wherever they hide", () => {
    const out = redact({
      password: "p",
      nested: { client_secret: "s", list: [{ token: "t" }], header: "Bearer abcdefghijklmnop", pve: "PVEAPIToken=root@pam!x=aaaa-bbbb" },
      note: "key opk_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg leaked",
      ok: "plain",
    }) as any;
    expect(out.password).toBe(REDACTED);
    expect(out.nested.client_secret).toBe(REDACTED);
    expect(out.nested.list[0].token).toBe(REDACTED);
    expect(out.nested.header).toBe(REDACTED);
    expect(out.nested.pve).toBe(REDACTED);
    expect(out.note).toBe(`key ${REDACTED} leaked`);
    expect(out.ok).toBe("plain");
    const lines = capture();
    log("info", "event", { authorization: "Bearer sekrit-value-123" });
    expect(lines[0]).not.toContain("sekrit-value-123");
  });
});
