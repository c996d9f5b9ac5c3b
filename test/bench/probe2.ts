import { startOutpost } from "./lib/wrangler-dev";
const o = await startOutpost(8794);
try {
  const login = await fetch(`${o.base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: o.adminPassword }) });
  const { access_token: token } = (await login.json()) as any;
  const auth = { authorization: `Bearer ${token}` };
  for (let i = 0; i < 100; i++) await fetch(`${o.base}/api/v1/endpoints`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ kind: "routeros", name: `b${i}`, host: `10.0.0.${i + 1}`, credentials: { type: "password", username: "u", password: "p" } }) });
  for (const [name, path, init] of [["livez", "/livez", {}], ["version", "/version", { headers: auth }], ["endpoints", "/api/v1/endpoints", { headers: auth }]] as const) {
    const times: number[] = [];
    for (let i = 0; i < 200; i++) { const t = performance.now(); const r = await fetch(o.base + path, init); await r.arrayBuffer(); times.push(performance.now() - t); }
    times.sort((a, b) => a - b);
    console.log(name, "serial p50", times[100]!.toFixed(2), "min", times[0]!.toFixed(2));
  }
} finally { o.stop(); }
