/**
 * Property-based fuzzing: random JSON bodies, path segments and query strings against every route of the app,
 * authenticated as a super admin. Whatever arrives, the answer is never a 5xx.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { setLogSink } from "../../src/logging";
import { call, json, loginAdmin } from "../helpers/api";

const routes = [...new Map(buildApp().routes.filter((r) => r.method !== "ALL" && r.path !== "*").map((r) => [`${r.method} ${r.path}`, { method: r.method, path: r.path }])).values()];

const segment = fc.oneof(
  fc.integer({ min: -5, max: 2 ** 40 }).map(String),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.constantFrom("1", "0", "-1", "1e9", "%00", "..", "null", "9007199254740993"),
);

const query = fc.dictionary(fc.constantFrom("kind", "site", "enabled", "limit", "since", "before_id", "locked", "action", "x"), fc.string({ maxLength: 8 }), {
  maxKeys: 3,
});

describe("fuzzing every route", () => {
  let key = "";
  beforeAll(async () => {
    setLogSink(() => undefined);
    const admin = await loginAdmin();
    key = (await json(await call("/api/v1/api-keys", { token: admin.access_token, body: { name: "fuzz", role: "super_admin" } }), 201)).key;
  });

  it.each(routes)("$method $path never answers 5xx to random input", async ({ method, path }) => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), segment, query, fc.boolean(), async (body, seg, q, rawText) => {
        const url = path.replace(/:[A-Za-z_]+/g, seg) + (Object.keys(q).length ? "?" + new URLSearchParams(q) : "");
        const hasBody = !["GET", "HEAD"].includes(method);
        const res = await call(url, {
          method,
          token: key,
          source: `fuzz-${n++ % 7}`,
          body: hasBody ? (rawText ? JSON.stringify(body).slice(0, -1) : body) : undefined,
        });
        const text = await res.text();
        expect(res.status, `${method} ${url} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
        expect(text).not.toMatch(/at .+\.(ts|js):\d+/);
      }),
      { numRuns: 25 },
    );
  });
});
