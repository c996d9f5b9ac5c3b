import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /health", () => {
  it("reports ready with init_ok when configured and migrated", async () => {
    const res = await exports.default.fetch("http://outpost.test/health");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "ready", init_ok: true });
  });
});
