/** Raw HTTP helpers for simulator tests: they talk to a router exactly as a client on the wire would. */
import type { RouterSim } from "./index";

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when empty); `any` on purpose: tests inspect reply shapes ad hoc. */
  body: any;
}

export interface CallOptions {
  /** `admin` (default), `poll`, explicit credentials, or `null` for no Authorization header. */
  as?: "admin" | "poll" | { username: string; password: string } | null;
  json?: unknown;
  rawBody?: string;
  contentType?: string | null;
  query?: Record<string, string>;
}

export function basicAuth(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/** Sends `method /rest<path>`; the path is used as given (no encoding), like a raw HTTP client would. */
export async function rest(router: RouterSim, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  const who = options.as === undefined ? "admin" : options.as;
  if (who !== null) {
    const creds = typeof who === "string" ? router.users[who] : who;
    headers.authorization = basicAuth(creds.username, creds.password);
  }
  let body: string | undefined;
  if (options.json !== undefined) body = JSON.stringify(options.json);
  if (options.rawBody !== undefined) body = options.rawBody;
  if (body !== undefined && options.contentType !== null) headers["content-type"] = options.contentType ?? "application/json";
  const search = new URLSearchParams(options.query ?? {}).toString();
  const url = `http://${router.name}.lab/rest${path}${search ? `?${search}` : ""}`;
  const res = await router.fetch(new Request(url, { method, headers, body }));
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text === "" ? undefined : JSON.parse(text) };
}
