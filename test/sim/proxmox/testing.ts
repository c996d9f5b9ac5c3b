/** Raw HTTP helpers for simulator tests: they talk to the app exactly as a client on the wire would. */
import type { ProxmoxSim } from "./index";

export interface Reply {
  status: number;
  statusText: string;
  text: string;
  /** The parsed body (undefined when empty). */
  body: { data?: unknown; message?: string; errors?: Record<string, string>; total?: number } | undefined;
  /** `any` on purpose: tests inspect response shapes ad hoc. */
  data: any;
}

export interface CallOptions {
  /** Form parameters (POST/PUT body) or query parameters (GET/DELETE). */
  params?: Record<string, string | number>;
  /** Value of the Authorization header; `null` sends none. Defaults to the root token. */
  auth?: string | null;
  cookie?: string;
  csrf?: string;
  json?: unknown;
  rawBody?: string;
}

export const tokenHeader = (sim: ProxmoxSim) => `PVEAPIToken=${sim.credentials.token.token_id}=${sim.credentials.token.secret}`;

export async function call(sim: ProxmoxSim, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  const auth = options.auth === undefined ? tokenHeader(sim) : options.auth;
  if (auth !== null) headers.authorization = auth;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf) headers.CSRFPreventionToken = options.csrf;
  const url = new URL(`http://pve.test:8006/api2/json${path}`);
  let body: string | undefined;
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(options.params ?? {})) form.append(k, String(v));
  if (method === "GET" || method === "DELETE") for (const [k, v] of form) url.searchParams.append(k, v);
  else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  } else {
    body = form.toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  if (options.rawBody !== undefined) body = options.rawBody;
  const res = await sim.harness.fetch(new Request(url, { method, headers, body }));
  const text = await res.text();
  const parsed = text === "" ? undefined : (JSON.parse(text) as Reply["body"]);
  return { status: res.status, statusText: res.statusText, text, body: parsed, data: parsed?.data };
}

export const upidPath = (upid: string) => encodeURIComponent(upid);

/** The UPID decode regex of pve-common (spec §2). */
export const UPID_RE = /^UPID:([a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;
