/** Raw HTTP helpers for NetBox simulator tests, plus a small lab (site, cluster, VMs) most tests start from. */
import type { NetboxSim } from "./index";

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when empty or not JSON); `any` on purpose: tests inspect shapes ad hoc. */
  body: any;
}

export interface CallOptions {
  /** An Authorization header value; default the simulator's v2 token (v1 before 4.5); `null` for none. */
  auth?: string | null;
  json?: unknown;
  rawBody?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
}

/** Sends `method <path>` (path with query, as on the wire) to the simulator. */
export async function call(sim: NetboxSim, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth === undefined ? sim.authHeader() : options.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | undefined;
  if (options.json !== undefined) body = JSON.stringify(options.json);
  if (options.rawBody !== undefined) body = options.rawBody;
  if (body !== undefined && options.contentType !== null) headers["content-type"] = options.contentType ?? "application/json";
  const res = await sim.fetch(new Request(`http://netbox.lab${path}`, { method, headers, body }));
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

export const get = (sim: NetboxSim, path: string, options: CallOptions = {}) => call(sim, "GET", path, options);
export const post = (sim: NetboxSim, path: string, json: unknown, options: CallOptions = {}) => call(sim, "POST", path, { ...options, json });
export const patch = (sim: NetboxSim, path: string, json: unknown, options: CallOptions = {}) => call(sim, "PATCH", path, { ...options, json });
export const put = (sim: NetboxSim, path: string, json: unknown, options: CallOptions = {}) => call(sim, "PUT", path, { ...options, json });
export const del = (sim: NetboxSim, path: string, json?: unknown, options: CallOptions = {}) => call(sim, "DELETE", path, { ...options, ...(json !== undefined ? { json } : {}) });

/** A site, a Proxmox cluster type and cluster on it, a VM role, and `vms` VMs with one interface each. */
export function seedLab(sim: NetboxSim, vms = 3) {
  const site = sim.create("dcim/sites", { name: "Lab", slug: "lab" });
  const clusterType = sim.create("virtualization/cluster-types", { name: "Proxmox", slug: "proxmox" });
  const cluster = sim.create("virtualization/clusters", { name: "pve", type: clusterType.id, scope_type: "dcim.site", scope_id: site.id });
  const role = sim.create("dcim/device-roles", { name: "VM", slug: "vm" });
  const machines = Array.from({ length: vms }, (_, i) => sim.create("virtualization/virtual-machines", { name: `vm${i + 1}`, cluster: cluster.id, role: role.id }));
  const interfaces = machines.map((vm) => sim.create("virtualization/interfaces", { name: "net0", virtual_machine: vm.id }));
  return { site, clusterType, cluster, role, machines, interfaces };
}
