/**
 * bench:api — GET /api/v1/endpoints (authenticated, 100 rows) against a bare route (/livez) in the same
 * `wrangler dev`, both under 200 concurrent clients. The ratio says what authentication, D1 and serialisation
 * cost on top of the Worker's fixed overhead. Goal: api/bare p50 ratio ≤ 2. The route is also measured past its
 * listing cache (`Cache-Control: no-cache`), which costs one D1 query per request.
 */
import { load, report } from "./lib/load";
import { startOutpost } from "./lib/wrangler-dev";

const CONCURRENCY = 200;
const TOTAL = Number(process.env.BENCH_REQUESTS ?? 4000);
const ROWS = 100;

const outpost = await startOutpost(Number(process.env.BENCH_PORT ?? 8791));
try {
  const login = await fetch(`${outpost.base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: outpost.adminPassword }),
  });
  const { access_token: token } = (await login.json()) as { access_token: string };
  const auth = { authorization: `Bearer ${token}` };
  for (let i = 0; i < ROWS; i++) {
    const res = await fetch(`${outpost.base}/api/v1/endpoints`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({
        kind: i % 3 === 0 ? "proxmox" : "routeros",
        name: `bench-${i}`,
        host: `10.0.${Math.floor(i / 250)}.${i % 250}`,
        credentials: i % 3 === 0 ? { type: "token", token_id: "root@pam!bench", secret: `s-${i}` } : { type: "password", username: "poll", password: `p-${i}` },
      }),
    });
    if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
  }
  const check = (await (await fetch(`${outpost.base}/api/v1/endpoints`, { headers: auth })).json()) as { endpoints: unknown[] };
  if (check.endpoints.length !== ROWS) throw new Error(`expected ${ROWS} endpoints, got ${check.endpoints.length}`);

  console.error(`seeded ${ROWS} endpoints; warming up`);
  await load(`${outpost.base}/livez`, {}, 500, CONCURRENCY);
  await load(`${outpost.base}/api/v1/endpoints`, { headers: auth }, 500, CONCURRENCY);
  const bare = await load(`${outpost.base}/livez`, {}, TOTAL, CONCURRENCY);
  const api = await load(`${outpost.base}/api/v1/endpoints`, { headers: auth }, TOTAL, CONCURRENCY);
  // The same route forced past the listing cache: one D1 query per request.
  const uncached = await load(`${outpost.base}/api/v1/endpoints`, { headers: { ...auth, "cache-control": "no-cache" } }, TOTAL, CONCURRENCY);

  report("api_p50_ms", api.p50);
  report("api_p99_ms", api.p99);
  report("api_rps", api.requestsPerSecond);
  report("api_errors", api.errors);
  report("bare_p50_ms", bare.p50);
  report("bare_p99_ms", bare.p99);
  report("bare_rps", bare.requestsPerSecond);
  report("bare_errors", bare.errors);
  report("api_bare_p50_ratio", api.p50 / bare.p50);
  report("api_bare_p99_ratio", api.p99 / bare.p99);
  report("api_uncached_p50_ms", uncached.p50);
  report("api_uncached_p99_ms", uncached.p99);
  report("api_uncached_bare_p50_ratio", uncached.p50 / bare.p50);
  if (api.errors + bare.errors + uncached.errors > 0) process.exitCode = 1;
} finally {
  outpost.stop();
}
