import { load } from "./lib/load";
import { startOutpost } from "./lib/wrangler-dev";
const o = await startOutpost(8793);
try {
  const login = await fetch(`${o.base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: o.adminPassword }) });
  const { access_token: token } = (await login.json()) as any;
  const auth = { authorization: `Bearer ${token}` };
  for (let i = 0; i < 100; i++) await fetch(`${o.base}/api/v1/endpoints`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ kind: "routeros", name: `b${i}`, host: `10.0.0.${i + 1}`, credentials: { type: "password", username: "u", password: "p" } }) });
  const rounds: Record<string, number[]> = {};
  for (let round = 0; round < 3; round++) {
    for (const [name, path, init] of [["livez", "/livez", {}], ["version", "/version", { headers: auth }], ["endpoints", "/api/v1/endpoints", { headers: auth }]] as const) {
      const r = await load(o.base + path, init, 600, 200);
      (rounds[name] ??= []).push(r.requestsPerSecond);
    }
  }
  for (const [k, v] of Object.entries(rounds)) console.log(k, v.map((x) => x.toFixed(0)).join(" "));
} finally { o.stop(); }
