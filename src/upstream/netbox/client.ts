/**
 * Typed NetBox REST client over `Transport` (spec §13). Both token formats; list paging that follows `next`
 * (cursor `start=` on NetBox ≥ 4.6, detected from `API-Version`, offset before that); single and chunked bulk
 * writes; IP allocation through `available-ips` with a bounded retry on 409 that tells a contended prefix from
 * an exhausted one. Creating POSTs are never retried by the transport; bulk PATCH/DELETE with explicit ids are
 * safe to repeat and say so. NetBox error bodies (`detail`, field errors, per-item lists) end up in the error.
 */
import type { z } from "zod";
import { ApiError } from "../../errors";
import type { NetboxCredentials } from "../credentials";
import { type Transport, UpstreamError, type UpstreamResponse, upstreamFailure } from "../transport";
import {
  type AvailableIp,
  type AvailableIpRequest,
  AvailableIpSchema,
  type IpAddress,
  IpAddressSchema,
  type NetboxObject,
  NetboxObjectSchema,
  type NetboxStatus,
  PageSchema,
  ReadObjectSchema,
  StatusSchema,
} from "./schemas";

export interface NetboxClientOptions {
  /** Objects per list page (`limit`); NetBox caps it at MAX_PAGE_SIZE (1000 by default). Default 500. */
  pageSize?: number;
  /** Objects per bulk POST/PATCH/DELETE request. Default 100. */
  bulkChunkSize?: number;
  /** Attempts of an allocation that gets 409 while the prefix still has room (contention). Default 5. */
  allocationAttempts?: number;
  /** First backoff between allocation attempts, doubled each time. Default 50 ms. */
  allocationBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

type QueryScalar = string | number | boolean;
/** Filters; an array repeats the parameter (`?id=1&id=2`: OR; `?tag=a&tag=b`: AND). */
export type NetboxFilters = Record<string, QueryScalar | readonly QueryScalar[] | null | undefined>;

export interface ReadOptions {
  /** `?brief=true`: the minimal representation. */
  brief?: boolean;
  /** `?fields=`: only these fields (wins over `omit`). */
  fields?: readonly string[];
  /** `?omit=` (NetBox ≥ 4.5.2). */
  omit?: readonly string[];
}

export interface ListOptions extends ReadOptions {
  /** `?ordering=`; forces offset paging (cursor paging is always by id). */
  ordering?: string;
}

export type BulkUpdate = { id: number } & Record<string, unknown>;

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface SendOptions {
  query?: URLSearchParams;
  body?: unknown;
  idempotent: boolean;
  headers?: Record<string, string>;
}

/** `dcim/sites`, `/api/dcim/sites/` or `dcim/sites/` → `/api/dcim/sites/`. */
export function listPath(path: string): string {
  const clean = path.replace(/^\/+/, "").replace(/^api\//, "").replace(/\/+$/, "");
  if (!clean || clean.split("/").some((s) => s === "" || s === "." || s === "..")) throw new RangeError(`not a NetBox API path: ${path}`);
  return `/api/${clean}/`;
}

const detailPath = (path: string, id: number) => `${listPath(path)}${id}/`;

function appendQuery(query: URLSearchParams, filters: NetboxFilters): void {
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value as QueryScalar];
    for (const v of values) query.append(key, typeof v === "boolean" ? (v ? "true" : "false") : String(v));
  }
}

function readQuery(options: ReadOptions): URLSearchParams {
  const query = new URLSearchParams();
  if (options.fields?.length) query.set("fields", options.fields.join(","));
  else if (options.omit?.length) query.set("omit", options.omit.join(","));
  if (options.brief) query.set("brief", "true");
  return query;
}

/** `4.6` ≥ `4.6`? Compares major.minor numerically. */
function versionAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A one-line summary of a NetBox error body: `detail`, `field: message` pairs, or per-item errors of a bulk write. */
export function summarizeNetboxErrors(body: unknown): string | undefined {
  const flat = (value: unknown): string => (Array.isArray(value) ? value.map(flat).join(" ") : typeof value === "object" && value !== null ? describeFields(value as Record<string, unknown>) : String(value));
  const describeFields = (errors: Record<string, unknown>) =>
    Object.entries(errors)
      .map(([field, msgs]) => `${field}: ${flat(msgs)}`)
      .join("; ");
  if (body === null || body === undefined) return undefined;
  if (typeof body === "object" && !Array.isArray(body)) {
    const d = (body as { detail?: unknown }).detail;
    if (typeof d === "string") return d;
    const e = (body as { error?: unknown }).error;
    if (typeof e === "string") return e;
    return describeFields(body as Record<string, unknown>) || undefined;
  }
  if (Array.isArray(body)) {
    const parts = body.map((item, i) => (typeof item === "string" ? item : item && typeof item === "object" && Object.keys(item).length ? `item ${i}: ${describeFields(item as Record<string, unknown>)}` : "")).filter(Boolean);
    return parts.length ? parts.join(" | ") : undefined;
  }
  return String(body);
}

export class NetboxClient {
  readonly #transport: Transport;
  readonly #auth: string;
  readonly #pageSize: number;
  readonly #bulkChunkSize: number;
  readonly #allocationAttempts: number;
  readonly #allocationBackoffMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  #apiVersion: string | undefined;

  constructor(transport: Transport, credentials: NetboxCredentials, options: NetboxClientOptions = {}) {
    this.#transport = transport;
    this.#auth = credentials.type === "token_v1" ? `Token ${credentials.token}` : `Bearer nbt_${credentials.key}.${credentials.secret}`;
    this.#pageSize = Math.max(1, options.pageSize ?? 500);
    this.#bulkChunkSize = Math.max(1, options.bulkChunkSize ?? 100);
    this.#allocationAttempts = Math.max(1, options.allocationAttempts ?? 5);
    this.#allocationBackoffMs = options.allocationBackoffMs ?? 50;
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  // --- plumbing ---

  async #send(method: Method, path: string, options: SendOptions): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { Authorization: this.#auth, Accept: "application/json", ...options.headers };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const res = await this.#transport.request({
      method,
      path,
      ...(options.query && [...options.query.keys()].length ? { query: options.query } : {}),
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      idempotent: options.idempotent,
    });
    const version = res.headers.get("API-Version");
    if (version) this.#apiVersion = version;
    if (!res.ok) throw this.#failure(res);
    return res;
  }

  #failure(res: UpstreamResponse): UpstreamError {
    let body: unknown;
    try {
      body = JSON.parse(res.text());
    } catch {
      // Not JSON (Django's HTML 404 page, a proxy's 502 page): the status line is all there is.
    }
    const summary = summarizeNetboxErrors(body);
    const base = upstreamFailure(this.#transport.target, res, summary);
    return new UpstreamError(base.status, base.code, base.message, { upstream_status: res.status, ...(body !== undefined ? { netbox_errors: body } : {}) });
  }

  #unexpected(what: string, why: string): ApiError {
    return new ApiError(502, "upstream_error", `${this.#transport.target.label} sent an unexpected ${what}: ${why}`);
  }

  #parse<T>(what: string, schema: z.ZodType<T>, value: unknown): T {
    const r = schema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw this.#unexpected(what, issue ? `${issue.path.map(String).join(".") || "body"}: ${issue.message}` : "invalid");
    }
    return r.data;
  }

  /** A `next` link (absolute, maybe naming another host behind a proxy) as a path below the target's base path. */
  #follow(next: string): { path: string; query: URLSearchParams } {
    const url = new URL(next);
    const base = this.#transport.target.basePath.replace(/\/+$/, "");
    const path = base && url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) : url.pathname;
    return { path, query: url.searchParams };
  }

  // --- status ---

  /** `GET /api/status/` plus the `API-Version` header. */
  async status(): Promise<NetboxStatus> {
    const res = await this.#send("GET", "/api/status/", { idempotent: true });
    const s = this.#parse("status", StatusSchema, res.json());
    return {
      netboxVersion: s["netbox-version"],
      apiVersion: res.headers.get("API-Version") ?? s["netbox-version"].split(".").slice(0, 2).join("."),
      ...(s["django-version"] !== undefined ? { djangoVersion: s["django-version"] } : {}),
      ...(s["python-version"] !== undefined ? { pythonVersion: s["python-version"] } : {}),
      plugins: Object.fromEntries(Object.entries(s.plugins ?? {}).map(([k, v]) => [k, String(v)])),
      ...(s["rq-workers-running"] !== undefined ? { rqWorkersRunning: s["rq-workers-running"] } : {}),
    };
  }

  /** The server's API version (`4.6`), from the last response or, the first time, from `/api/status/`. */
  async apiVersion(): Promise<string> {
    if (this.#apiVersion === undefined) await this.status();
    return this.#apiVersion!;
  }

  // --- reads ---

  /**
   * Pages of a list endpoint, following `next` to the end. On NetBox ≥ 4.6 (without `ordering`) it pages by
   * cursor (`start=`, ordered by id, no count query); otherwise by offset in the model's ordering.
   */
  async *pages<T = NetboxObject>(path: string, filters: NetboxFilters = {}, options: ListOptions = {}): AsyncGenerator<T[]> {
    const query = readQuery(options);
    appendQuery(query, filters);
    if (options.ordering) query.set("ordering", options.ordering);
    query.set("limit", String(this.#pageSize));
    const cursor = !options.ordering && versionAtLeast(await this.apiVersion(), 4, 6);
    if (cursor) query.set("start", "0");
    let request: { path: string; query: URLSearchParams } | null = { path: listPath(path), query };
    const seen = new Set<string>();
    while (request) {
      const key = `${request.path}?${request.query.toString()}`;
      if (seen.has(key)) throw this.#unexpected("page link", `next points back to ${key}`);
      seen.add(key);
      const res = await this.#send("GET", request.path, { query: request.query, idempotent: true });
      const page = this.#parse("list page", PageSchema, res.json());
      yield page.results.map((r) => this.#parse("list item", ReadObjectSchema, r)) as T[];
      request = page.next ? this.#follow(page.next) : null;
    }
  }

  /** Every object of a list endpoint matching the filters. */
  async list<T = NetboxObject>(path: string, filters: NetboxFilters = {}, options: ListOptions = {}): Promise<T[]> {
    const out: T[] = [];
    for await (const page of this.pages<T>(path, filters, options)) out.push(...page);
    return out;
  }

  /** One object by id (404 becomes an upstream error with NetBox's `detail`). */
  async get<T = NetboxObject>(path: string, id: number, options: ReadOptions = {}): Promise<T> {
    return (await this.getWithEtag<T>(path, id, options)).object;
  }

  /** One object and its `ETag` (NetBox ≥ 4.6; null before), for a later `patch` with `ifMatch`. */
  async getWithEtag<T = NetboxObject>(path: string, id: number, options: ReadOptions = {}): Promise<{ object: T; etag: string | null }> {
    const res = await this.#send("GET", detailPath(path, id), { query: readQuery(options), idempotent: true });
    return { object: this.#parse("object", ReadObjectSchema, res.json()) as T, etag: res.headers.get("ETag") };
  }

  // --- writes ---

  /** POST one object (201) — never retried by the transport, a repeat would create twice. */
  async create<T = NetboxObject>(path: string, data: Record<string, unknown>): Promise<T>;
  /** POST objects in bulk, `bulkChunkSize` per request; each request is all-or-nothing, earlier chunks stay. */
  async create<T = NetboxObject>(path: string, data: readonly Record<string, unknown>[]): Promise<T[]>;
  async create<T = NetboxObject>(path: string, data: Record<string, unknown> | readonly Record<string, unknown>[]): Promise<T | T[]> {
    if (!Array.isArray(data)) {
      const res = await this.#send("POST", listPath(path), { body: data, idempotent: false });
      return this.#parse("created object", NetboxObjectSchema, res.json()) as T;
    }
    const out: T[] = [];
    for (const [i, chunk] of chunks(data, this.#bulkChunkSize).entries()) {
      try {
        const res = await this.#send("POST", listPath(path), { body: chunk, idempotent: false });
        out.push(...(this.#parse("created objects", NetboxObjectSchema.array(), res.json()) as T[]));
      } catch (err) {
        throw this.#inChunk(err, i, out.length);
      }
    }
    return out;
  }

  /** PATCH one object; with `ifMatch` (an ETag from `getWithEtag`) NetBox ≥ 4.6 answers 412 if it changed. */
  async patch<T = NetboxObject>(path: string, id: number, data: Record<string, unknown>, options: { ifMatch?: string } = {}): Promise<T> {
    const res = await this.#send("PATCH", detailPath(path, id), {
      body: data,
      idempotent: options.ifMatch !== undefined,
      ...(options.ifMatch !== undefined ? { headers: { "If-Match": options.ifMatch } } : {}),
    });
    return this.#parse("updated object", NetboxObjectSchema, res.json()) as T;
  }

  /** Bulk PATCH (a list of `{id, …}`), chunked; ids NetBox does not have are skipped, as NetBox does. */
  async update<T = NetboxObject>(path: string, items: readonly BulkUpdate[]): Promise<T[]> {
    const out: T[] = [];
    for (const [i, chunk] of chunks(items, this.#bulkChunkSize).entries()) {
      try {
        const res = await this.#send("PATCH", listPath(path), { body: chunk, idempotent: true });
        out.push(...(this.#parse("updated objects", NetboxObjectSchema.array(), res.json()) as T[]));
      } catch (err) {
        throw this.#inChunk(err, i, out.length);
      }
    }
    return out;
  }

  /** DELETE one object (404 if it does not exist, 409 if dependants protect it). */
  async deleteOne(path: string, id: number, options: { ifMatch?: string } = {}): Promise<void> {
    await this.#send("DELETE", detailPath(path, id), { idempotent: true, ...(options.ifMatch !== undefined ? { headers: { "If-Match": options.ifMatch } } : {}) });
  }

  /** Bulk DELETE by id, chunked; ids that no longer exist are skipped (NetBox's bulk semantics). */
  async delete(path: string, ids: readonly number[]): Promise<void> {
    for (const [i, chunk] of chunks(ids, this.#bulkChunkSize).entries()) {
      try {
        await this.#send("DELETE", listPath(path), { body: chunk.map((id) => ({ id })), idempotent: true });
      } catch (err) {
        throw this.#inChunk(err, i, i * this.#bulkChunkSize);
      }
    }
  }

  /** Says which bulk chunk failed and how many objects the earlier chunks already wrote. */
  #inChunk(err: unknown, chunk: number, done: number): unknown {
    if (!(err instanceof ApiError) || chunk === 0) return err;
    const details = { ...(err.details as Record<string, unknown>), chunk, objects_already_written: done };
    return new UpstreamError(err.status, err.code, `${err.message} (bulk chunk ${chunk + 1}; ${done} objects were written by earlier chunks)`, details);
  }

  // --- IP allocation ---

  /** The next free addresses of a prefix (`GET …/available-ips/?limit=`), as NetBox lists them. */
  async availableIps(prefixId: number, limit?: number): Promise<AvailableIp[]> {
    const query = new URLSearchParams();
    if (limit !== undefined) query.set("limit", String(limit));
    const res = await this.#send("GET", `/api/ipam/prefixes/${prefixId}/available-ips/`, { query, idempotent: true });
    return this.#parse("available IPs", AvailableIpSchema.array(), res.json());
  }

  /**
   * Allocates the next free addresses of a prefix in one all-or-nothing POST. A 409 means NetBox could not
   * satisfy the request when it held its allocation lock: if the prefix really lacks room the error says so at
   * once (409 kept); otherwise the POST is retried with exponential backoff up to `allocationAttempts` times.
   */
  async allocateIps(prefixId: number, requests: readonly AvailableIpRequest[]): Promise<IpAddress[]> {
    if (requests.length === 0) return [];
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.#send("POST", `/api/ipam/prefixes/${prefixId}/available-ips/`, { body: requests, idempotent: false });
        return this.#parse("allocated IPs", IpAddressSchema.array(), res.json());
      } catch (err) {
        if (!(err instanceof ApiError) || (err.details as { upstream_status?: number } | undefined)?.upstream_status !== 409) throw err;
        const free = await this.availableIps(prefixId, requests.length);
        if (free.length < requests.length) {
          throw new UpstreamError(409, "upstream_rejected", `${this.#transport.target.label} rejected the request: prefix ${prefixId} is exhausted: ${requests.length} addresses requested, ${free.length} free`, {
            upstream_status: 409,
            prefix_id: prefixId,
            requested: requests.length,
            available: free.length,
          });
        }
        if (attempt >= this.#allocationAttempts) {
          throw new UpstreamError(409, "upstream_rejected", `${this.#transport.target.label} rejected the request: allocation in prefix ${prefixId} still conflicted after ${attempt} attempts`, {
            upstream_status: 409,
            prefix_id: prefixId,
            attempts: attempt,
          });
        }
        await this.#sleep(this.#allocationBackoffMs * 2 ** (attempt - 1));
      }
    }
  }
}
