/**
 * The quick start, for real: `npm start` from this checkout must serve /health within 60 s, print how to sign in,
 * accept that login from curl, and have the simulated lab registered and reachable through Outpost.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PORT = 8788;
const BASE = `http://127.0.0.1:${PORT}`;
let child: ChildProcess;
let output = "";
let startupMs = 0;

beforeAll(async () => {
  const started = Date.now();
  child = spawn("npm", ["start"], { env: { ...process.env, OUTPOST_PORT: String(PORT) }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not finish starting in 60 s:\n${output.slice(-3000)}`)), 60_000);
    const check = setInterval(() => {
      if (output.includes("Outpost is running")) {
        clearInterval(check);
        clearTimeout(timer);
        startupMs = Date.now() - started;
        resolve();
      }
    }, 200);
    child.on("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output.slice(-3000)}`)));
  });
}, 70_000);

afterAll(() => {
  if (child.pid) process.kill(-child.pid, "SIGTERM");
});

describe("npm start", () => {
  it("is healthy within 60 s", async () => {
    expect(startupMs).toBeLessThan(60_000);
    const health = await (await fetch(`${BASE}/health`)).json();
    expect(health).toMatchObject({ status: "ready", init_ok: true });
  });

  it("prints a login command that works with curl, and the lab is registered and reachable", async () => {
    const password = /"password":"([^"]+)"/.exec(output)?.[1];
    expect(password).toBeTruthy();
    const login = JSON.parse(
      execFileSync("curl", ["-s", "-X", "POST", `${BASE}/api/v1/auth/login`, "-H", "content-type: application/json", "-d", JSON.stringify({ username: "admin", password })], {
        encoding: "utf8",
      }),
    );
    expect(login.token_type).toBe("Bearer");
    const auth = { authorization: `Bearer ${login.access_token}` };
    const { endpoints } = (await (await fetch(`${BASE}/api/v1/endpoints`, { headers: auth })).json()) as { endpoints: Array<{ id: number; kind: string }> };
    expect(endpoints.map((e) => e.kind).sort()).toEqual(["netbox", "proxmox", "routeros", "routeros", "routeros", "routeros", "routeros"]);
    for (const e of endpoints) {
      const res = await fetch(`${BASE}/api/v1/endpoints/${e.id}/test`, { method: "POST", headers: auth });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(((await res.json()) as { kind: string }).kind).toBe(e.kind);
    }
  });
});
