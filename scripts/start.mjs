// `npm start`: Outpost on http://127.0.0.1:8787 with a local D1, a seeded admin and a simulated lab
// (Proxmox cluster, NetBox, RouterOS routers) registered as the admin's endpoints.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { ensureDevVars } from "./dev-vars.mjs";

const PORT = Number(process.env.OUTPOST_PORT ?? 8787);
const BASE = `http://127.0.0.1:${PORT}`;
const LAB_MANIFEST = ".lab/lab.json";
const children = [];

function stopAll(code = 0) {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exit(code);
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

function run(cmd, args, label) {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true" } });
  const prefix = (chunk) => chunk.toString().split("\n").filter(Boolean).map((l) => `[${label}] ${l}`).join("\n") + "\n";
  child.stdout.on("data", (c) => process.env.OUTPOST_QUIET || process.stdout.write(prefix(c)));
  child.stderr.on("data", (c) => process.stderr.write(prefix(c)));
  child.on("exit", (code) => {
    if (code !== 0 && code !== null) {
      console.error(`${label} exited with code ${code}`);
      stopAll(1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(check, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function api(path, { token, method, body } = {}) {
  const res = await fetch(BASE + path, {
    method: method ?? (body ? "POST" : "GET"),
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method ?? "GET"} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Registers (or re-points, after a restart on new ports) every lab server as an endpoint of the admin's tenant. */
async function registerLab(token, manifest) {
  const existing = (await api("/api/v1/endpoints", { token })).endpoints;
  for (const endpoint of manifest.endpoints) {
    const current = existing.find((e) => e.kind === endpoint.kind && e.name === endpoint.name);
    if (current) await api(`/api/v1/endpoints/${current.id}`, { token, method: "PATCH", body: { host: endpoint.host, port: endpoint.port, credentials: endpoint.credentials } });
    else await api("/api/v1/endpoints", { token, body: endpoint });
  }
  return manifest.endpoints.length;
}

const vars = ensureDevVars();
const admin = { username: "admin", password: vars.INITIAL_ADMIN_PASSWORD };

const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"], { stdio: "inherit", env: { ...process.env, CI: "true" } });
if (migrate.status !== 0) stopAll(1);

run("npx", ["tsx", "test/sim/node/lab-server.ts", LAB_MANIFEST], "lab");
run("npx", ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(PORT), "--show-interactive-dev-session=false"], "outpost");

try {
  await waitFor(async () => existsSync(LAB_MANIFEST) && JSON.parse(readFileSync(LAB_MANIFEST, "utf8")).ready, "the simulated lab");
  await waitFor(async () => (await fetch(`${BASE}/health`)).status === 200, "Outpost");
  const { access_token } = await api("/api/v1/auth/login", { body: admin });
  const manifest = JSON.parse(readFileSync(LAB_MANIFEST, "utf8"));
  const count = await registerLab(access_token, manifest);
  console.log(`
Outpost is running at ${BASE}  (API docs: ${BASE}/docs)
Simulated lab: ${manifest.summary}; ${count} endpoints registered for the admin's tenant.

Sign in:
  curl -s -X POST ${BASE}/api/v1/auth/login -H 'content-type: application/json' \\
       -d '{"username":"${admin.username}","password":"${admin.password}"}'
then call the API with  -H "authorization: Bearer <access_token>", e.g.  curl -s ${BASE}/api/v1/endpoints -H ...
(The password is INITIAL_ADMIN_PASSWORD in .dev.vars.)  Stop with Ctrl-C.
`);
} catch (err) {
  console.error(String(err));
  stopAll(1);
}
