/**
 * (c) An independent client drives the simulator: Debian's python3-proxmoxer 1.2.0 over HTTPS on loopback (its
 * https backend always uses `https://host:port/api2/json`). Token login, node and VM lists, create and start a VM
 * waiting for each task, then password (ticket + CSRF) login, and the errors it sees for wrong calls.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxmoxSim, type ProxmoxSim } from "../sim/proxmox";

const python = fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const script = path.resolve(import.meta.dirname, "proxmoxer_client.py");

/** A throwaway self-signed certificate made by the openssl CLI. */
function selfSignedCert(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pve-sim-tls-"));
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")], {
      stdio: "ignore",
    });
    return { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Serves the simulator over HTTPS. A small listener instead of `@hono/node-server` because PVE puts the error
 * reason in the HTTP status line, and proxmoxer reports it from there; the listener keeps `statusText`.
 */
function serveHttps(sim: ProxmoxSim, tls: { key: string; cert: string }): Promise<{ port: number; close: () => Promise<void> }> {
  const server = https.createServer(tls, async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    const body = chunks.length > 0 && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
    let response: Response;
    try {
      response = await sim.harness.fetch(new Request(`https://127.0.0.1${req.url}`, { method: req.method, headers, body }));
    } catch {
      req.socket.destroy();
      return;
    }
    const payload = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, response.statusText, Object.fromEntries(response.headers));
    res.end(payload);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ port: (server.address() as AddressInfo).port, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

function runProxmoxer(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`proxmoxer client exited ${code}: ${err}`))));
  });
}

describe("python3-proxmoxer drives the PVE simulator over HTTPS", () => {
  const sim = createProxmoxSim({ nodes: 2, vmsPerNode: 4, seed: 17, taskDurations: { qmcreate: 300, qmstart: 300 } });
  let served: { port: number; close: () => Promise<void> };

  beforeAll(async () => {
    served = await serveHttps(sim, selfSignedCert());
  });
  afterAll(async () => {
    await served.close();
  });

  it("logs in, lists, creates and starts a VM, and sees PVE's errors", async () => {
    const { token_id, secret } = sim.credentials.token;
    const out = JSON.parse(await runProxmoxer([String(served.port), token_id, secret, sim.credentials.root.password, "pve1"]));
    expect(out.version.release).toBe("9.1");
    expect(out.nodes).toEqual(["pve1", "pve2"]);
    expect(out.vms_before).toBe(4);
    expect(out.create_upid).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmcreate:\d+:root@pam!outpost:$/);
    expect(out.create).toMatchObject({ status: "stopped", exitstatus: "OK", user: "root@pam", tokenid: "outpost" });
    expect(out.start).toMatchObject({ status: "stopped", exitstatus: "OK", type: "qmstart" });
    expect(out.status.status).toBe("running");
    expect(out.config).toMatchObject({ name: "proxmoxer-vm", memory: "1024", onboot: 1, scsi0: `local-lvm:vm-${out.vmid}-disk-0,size=8G` });
    expect(out.config.net0).toMatch(/^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0,tag=42$/);
    expect(out.vms_after).toBe(5);
    expect(out.log.at(-1)).toEqual({ n: out.log.length, t: "TASK OK" });
    expect(sim.guest(out.vmid)).toMatchObject({ node: "pve1", status: "running" });

    expect(out.bad_boolean).toEqual({ status_code: 400, status_message: "Bad Request", content: "Parameter verification failed." });
    expect(out.duplicate).toMatchObject({ status_code: 500, content: `unable to create VM ${out.vmid} - VM ${out.vmid} already exists on node 'pve1'` });
    expect(out.running_delete).toMatchObject({ status_code: 500, content: `VM ${out.vmid} is running - destroy failed` });
    expect(out.bad_token).toMatchObject({ status_code: 401, content: "Authentication failed!" });

    expect(out.pools).toContain("proxmoxer");
    expect(out.tokens_with_ticket).toEqual([true, true]);
    expect(sim.pools().get("proxmoxer")?.comment).toBe("made over a ticket");
  });
});
