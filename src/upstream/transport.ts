/**
 * The only code that sends requests to on-prem services. It turns an endpoint's connection settings into an
 * HTTP request over one of three paths (a plain URL, a Workers VPC binding, or a tunnel hostname behind
 * Cloudflare Access with service-token headers), and owns timeouts, retries and the error mapping:
 * timeout → 504, connect failure → 502, upstream HTTP statuses are returned as they are for the typed
 * clients to interpret.
 */
import { ApiError } from "../errors";
import { ConnectionLimiter } from "./limiter";

export type TransportSettings =
  | { mode: "direct" }
  | { mode: "vpc"; binding: string }
  | { mode: "access"; clientId: string; clientSecret: string };

export interface UpstreamTarget {
  /** Used in error messages only, e.g. `proxmox "lab-1"`. */
  label: string;
  scheme: "http" | "https";
  host: string;
  port: number;
  basePath: string;
  transport: TransportSettings;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
}

type FetchLike = (input: Request) => Promise<Response>;

/** A Workers VPC binding (a Fetcher); declared structurally so the module also type-checks under Node. */
interface VpcBinding {
  fetch(input: Request): Promise<Response>;
}

export interface TransportDeps {
  limiter: ConnectionLimiter;
  /** Where VPC bindings are looked up (the Worker's env). */
  bindings?: object;
  /** Replaces the global fetch for direct and access modes (tests route it to in-process simulators). */
  fetch?: FetchLike;
  sleep?: (ms: number) => Promise<void>;
}

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number>;

export interface UpstreamRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
  /** Path below the endpoint's base path, starting with `/`. */
  path: string;
  query?: Record<string, QueryValue> | URLSearchParams;
  headers?: Record<string, string>;
  body?: string | Uint8Array | URLSearchParams;
  /** POST/PATCH are retried only when the caller declares them safe to repeat. */
  idempotent?: boolean;
}

export class UpstreamResponse {
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly body: Uint8Array,
    readonly latencyMs: number,
    readonly attempts: number,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  text(): string {
    return new TextDecoder().decode(this.body);
  }

  /** Parses JSON; a non-JSON body from the upstream is reported as a bad gateway, not a crash. */
  json<T = unknown>(): T {
    const text = this.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(502, "upstream_error", `upstream answered ${this.status} with a body that is not JSON`, {
        upstream_status: this.status,
        body_start: text.slice(0, 120),
      });
    }
  }
}

export class UpstreamError extends ApiError {}

const RETRYABLE_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE"]);
const MAX_BACKOFF_MS = 10_000;

export function upstreamUrl(target: UpstreamTarget, path: string, query?: UpstreamRequest["query"]): string {
  const base = `${target.scheme}://${formatHost(target.host)}:${target.port}${target.basePath.replace(/\/+$/, "")}`;
  const url = new URL(base + path);
  if (query instanceof URLSearchParams) {
    for (const [k, v] of query) url.searchParams.append(k, v);
  } else if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
      else url.searchParams.append(k, typeof v === "boolean" ? (v ? "1" : "0") : String(v));
    }
  }
  return url.toString();
}

function formatHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

export class Transport {
  constructor(
    readonly target: UpstreamTarget,
    private readonly deps: TransportDeps,
  ) {}

  private fetcher(): FetchLike {
    const { transport } = this.target;
    if (transport.mode === "vpc") {
      const binding = (this.deps.bindings as Record<string, unknown> | undefined)?.[transport.binding];
      if (!binding || typeof (binding as VpcBinding).fetch !== "function") {
        throw new UpstreamError(400, "bad_request", `VPC binding "${transport.binding}" of ${this.target.label} is not configured on this Worker`);
      }
      return (req) => (binding as VpcBinding).fetch(req);
    }
    return this.deps.fetch ?? ((req) => fetch(req));
  }

  private buildRequest(req: UpstreamRequest, signal: AbortSignal): Request {
    const headers = new Headers(req.headers);
    const { transport } = this.target;
    if (transport.mode === "access") {
      headers.set("CF-Access-Client-Id", transport.clientId);
      headers.set("CF-Access-Client-Secret", transport.clientSecret);
    }
    let body: BodyInit | undefined;
    if (req.body instanceof URLSearchParams) {
      body = req.body.toString();
      if (!headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded");
    } else {
      body = req.body as BodyInit | undefined;
    }
    return new Request(upstreamUrl(this.target, req.path, req.query), { method: req.method, headers, body, signal, redirect: "manual" });
  }

  private async attempt(req: UpstreamRequest): Promise<{ response?: UpstreamResponse; error?: UpstreamError }> {
    const fetcher = this.fetcher();
    return this.deps.limiter.run(async () => {
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.target.timeoutMs);
      const started = Date.now();
      try {
        const res = await fetcher(this.buildRequest(req, controller.signal));
        // The connection stays open until the body is read, so the body is read inside the slot.
        const body = new Uint8Array(await res.arrayBuffer());
        return { response: new UpstreamResponse(res.status, res.statusText, res.headers, body, Date.now() - started, 1) };
      } catch (err) {
        if (err instanceof UpstreamError) throw err;
        if (timedOut) {
          return { error: new UpstreamError(504, "upstream_timeout", `${this.target.label} did not answer within ${this.target.timeoutMs} ms`) };
        }
        return { error: new UpstreamError(502, "upstream_unreachable", `${this.target.label} could not be reached: ${describe(err)}`) };
      } finally {
        clearTimeout(timer);
      }
    });
  }

  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    const retryable = req.idempotent ?? RETRYABLE_METHODS.has(req.method);
    const attempts = 1 + (retryable ? Math.max(0, this.target.retries) : 0);
    const started = Date.now();
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let last: { response?: UpstreamResponse; error?: UpstreamError } = {};
    for (let i = 1; i <= attempts; i++) {
      last = await this.attempt(req);
      const failed = last.error !== undefined || (last.response !== undefined && last.response.status >= 500);
      if (!failed || i === attempts) break;
      await sleep(Math.min(MAX_BACKOFF_MS, this.target.backoffMs * 2 ** (i - 1)));
    }
    if (last.error) throw last.error;
    const r = last.response!;
    return new UpstreamResponse(r.status, r.statusText, r.headers, r.body, Date.now() - started, attempts);
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message.split("\n")[0] ?? err.name;
  return String(err);
}

/** Turns a non-2xx upstream answer into the API error that keeps its meaning (4xx kept, 5xx → 502). */
export function upstreamFailure(target: UpstreamTarget, res: UpstreamResponse, message?: string): UpstreamError {
  const detail = message ?? (res.statusText || `HTTP ${res.status}`);
  if (res.status >= 400 && res.status < 500) {
    return new UpstreamError(res.status as 400, "upstream_rejected", `${target.label} rejected the request: ${detail}`, {
      upstream_status: res.status,
    });
  }
  return new UpstreamError(502, "upstream_error", `${target.label} failed: ${detail}`, { upstream_status: res.status });
}
