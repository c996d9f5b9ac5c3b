/**
 * The REST API under `/api/`: URL resolution (trailing slash required: GET redirects with 302, writes get
 * Django's 404 page), authentication and token write permission, then the generic list/detail handlers for
 * every model (pagination, filters, brief/fields/omit, single and bulk writes, ETag/If-Match, delete
 * protection), `available-ips`, `status`, and the plugin's `settings/runtime`. Every API response carries
 * `API-Version` and `X-Request-ID`; each request's changes are flushed to event rules when it completes.
 */
import type { Context, Hono } from "hono";
import { charge, countAs, type SimEnv, type SimHarness } from "../common/harness";
import { NOT_PROVIDED, NO_PERMISSION, type TokenStore } from "./auth";
import { availableHosts, hostWithMask, validateRequests } from "./available-ips";
import { Abort, type Database } from "./engine/db";
import type { QueryEngine } from "./engine/query";
import { type Selection, type Serializer } from "./engine/serialize";
import { etagOf } from "./engine/time";
import type { ModelDef, Row } from "./engine/types";
import type { Writer } from "./engine/write";
import { detail, htmlNotFound, json } from "./errors";
import { RequestEvents, type WebhookDispatcher } from "./events";
import { parseIp } from "./ip";
import type { AsyncMutex } from "./lock";
import { atLeast, FULL_VERSION, type NetboxVersion } from "./version";

export interface ApiDeps {
  harness: SimHarness;
  db: Database;
  serializer: Serializer;
  writer: Writer;
  query: QueryEngine;
  tokens: TokenStore;
  webhooks: WebhookDispatcher;
  ipLock: AsyncMutex;
  version: NetboxVersion;
  maxPageSize: number;
  plugin: boolean;
}

type Route =
  | { kind: "root" }
  | { kind: "app"; prefix: string }
  | { kind: "status" }
  | { kind: "list"; model: ModelDef }
  | { kind: "detail"; model: ModelDef; id: string }
  | { kind: "available-ips"; id: string }
  | { kind: "runtime" };

const PAGINATE_COUNT = 50;
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const APPS = ["circuits", "core", "dcim", "extras", "ipam", "plugins", "status", "tenancy", "users", "virtualization", "vpn", "wireless"];

interface Call {
  c: Context<SimEnv>;
  url: URL;
  method: string;
  origin: string;
  requestId: string;
  user: string;
  events: RequestEvents;
}

export class NetboxApi {
  private readonly byPath = new Map<string, ModelDef>();

  constructor(private readonly deps: ApiDeps) {
    for (const m of deps.db.models) this.byPath.set(m.path, m);
  }

  mount(app: Hono<SimEnv>): void {
    const handler = async (c: Context<SimEnv>) => {
      const res = await this.handle(c);
      res.headers.set("API-Version", this.deps.version);
      res.headers.set("Vary", "HX-Request");
      return res;
    };
    app.all("/api", handler);
    app.all("/api/*", handler);
  }

  private resolve(path: string): Route | null {
    if (path === "/api/") return { kind: "root" };
    if (path === "/api/status/") return { kind: "status" };
    if (this.deps.plugin && path === "/api/plugins/proxbox/settings/runtime/") return { kind: "runtime" };
    let m = /^\/api\/ipam\/prefixes\/([^/]+)\/available-ips\/$/.exec(path);
    if (m) return { kind: "available-ips", id: m[1]! };
    m = /^\/api\/(.+)\/$/.exec(path);
    if (!m) return null;
    const inner = m[1]!;
    const list = this.byPath.get(inner);
    if (list) return { kind: "list", model: list };
    const d = /^(.+)\/([^/]+)$/.exec(inner);
    if (d && this.byPath.has(d[1]!)) return { kind: "detail", model: this.byPath.get(d[1]!)!, id: d[2]! };
    if ([...this.byPath.keys()].some((p) => p.startsWith(`${inner}/`))) return { kind: "app", prefix: inner };
    return null;
  }

  private async handle(c: Context<SimEnv>): Promise<Response> {
    const url = new URL(c.req.url);
    const method = c.req.method;
    const requestId = crypto.randomUUID();
    const finish = (res: Response) => {
      res.headers.set("X-Request-ID", requestId);
      return res;
    };
    if (!url.pathname.endsWith("/")) {
      countAs(c, url.pathname);
      if ((method === "GET" || method === "HEAD") && this.resolve(`${url.pathname}/`)) {
        return finish(new Response(null, { status: 302, headers: { Location: `${url.pathname}/${url.search}` } }));
      }
      return finish(htmlNotFound(url.pathname));
    }
    const route = this.resolve(url.pathname);
    if (!route) {
      countAs(c, url.pathname);
      return finish(htmlNotFound(url.pathname));
    }
    countAs(c, this.template(route));
    const auth = this.deps.tokens.authenticate(c.req.header("authorization") ?? null, this.deps.harness.clock.now());
    if (auth.kind === "failed") return finish(detail(auth.detail, 403));
    if (auth.kind === "anonymous") return finish(detail(NOT_PROVIDED, 403));
    if (UNSAFE.has(method) && !auth.token.writeEnabled) return finish(detail(NO_PERMISSION, 403));
    const call: Call = { c, url, method, origin: url.origin, requestId, user: auth.token.user, events: new RequestEvents(this.deps.serializer, this.deps.version, (ctype) => this.deps.webhooks.watches(ctype)) };
    const res = await this.route(route, call);
    charge(c, { writes: call.events.writes });
    this.deps.webhooks.flush(call.events, { id: requestId, method, path: url.pathname, user: call.user });
    return finish(res);
  }

  private template(route: Route): string {
    switch (route.kind) {
      case "root":
        return "/api/";
      case "app":
        return `/api/${route.prefix}/`;
      case "status":
        return "/api/status/";
      case "runtime":
        return "/api/plugins/proxbox/settings/runtime/";
      case "available-ips":
        return "/api/ipam/prefixes/{id}/available-ips/";
      case "list":
        return `/api/${route.model.path}/`;
      case "detail":
        return `/api/${route.model.path}/{id}/`;
    }
  }

  private async route(route: Route, call: Call): Promise<Response> {
    const { method } = call;
    const allowed = (methods: readonly string[]) => methods.includes(method) || (method === "HEAD" && methods.includes("GET"));
    const notAllowed = () => detail(`Method "${method}" not allowed.`, 405);
    switch (route.kind) {
      case "root":
        return allowed(["GET"]) ? json(Object.fromEntries(APPS.map((a) => [a, `${call.origin}/api/${a}/`]))) : notAllowed();
      case "app": {
        if (!allowed(["GET"])) return notAllowed();
        const entries = [...this.byPath.keys()].filter((p) => p.startsWith(`${route.prefix}/`)).map((p) => [p.slice(route.prefix.length + 1), `${call.origin}/api/${p}/`]);
        return json(Object.fromEntries(entries));
      }
      case "status":
        return allowed(["GET"]) ? this.status() : notAllowed();
      case "runtime":
        return allowed(["GET"]) ? this.runtime(call) : notAllowed();
      case "available-ips":
        if (method === "GET") return this.availableIpsGet(route.id, call);
        if (method === "POST") return this.deps.ipLock.run(() => this.holding(call, () => this.availableIpsPost(route.id, call)));
        return notAllowed();
      case "list": {
        const methods = route.model.methods ?? ["GET", "POST", "PUT", "PATCH", "DELETE"];
        if (!allowed(methods)) return notAllowed();
        if (method === "GET" || method === "HEAD") return this.list(route.model, call);
        return this.writeLocked(route.model, call, () => this.bulkWrite(route.model, call));
      }
      case "detail": {
        const methods = route.model.methods ?? ["GET", "PUT", "PATCH", "DELETE"];
        if (!allowed(methods.filter((m) => m !== "POST"))) return notAllowed();
        if (method === "GET" || method === "HEAD") return this.retrieve(route.model, route.id, call);
        return this.writeLocked(route.model, call, () => this.detailWrite(route.model, route.id, call));
      }
    }
  }

  /** IP address writes take NetBox's global allocation lock, like `IPAddressViewSet`. */
  private writeLocked(model: ModelDef, call: Call, work: () => Promise<Response>): Promise<Response> {
    if (model.ctype !== "ipam.ipaddress") return work();
    return this.deps.ipLock.run(() => this.holding(call, work));
  }

  /** Runs locked work and keeps holding the lock for the request's modelled cost (the worker is busy that long). */
  private async holding(call: Call, work: () => Promise<Response>): Promise<Response> {
    const started = performance.now();
    const res = await work();
    const cost = this.deps.harness.cost;
    if (cost.settings.enabled) {
      const counts = call.c.get("simCounts") ?? { reads: 0, writes: 0 };
      const remaining = cost.costOf({ reads: counts.reads, writes: counts.writes + call.events.writes }) - (performance.now() - started);
      if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
    }
    return res;
  }

  // --- reads ---

  private status(): Response {
    const v = this.deps.version;
    const plugins: Record<string, string> = this.deps.plugin ? { netbox_proxbox: "0.0.7" } : {};
    return json({
      "django-version": "5.2.8",
      hostname: "netbox",
      installed_apps: { django_filters: "25.1", django_prometheus: "2.4.1", django_rq: "3.1", django_tables2: "2.7.5", drf_spectacular: "0.28.0", mptt: "0.17.0", rest_framework: "3.16.1", taggit: "6.1.0" },
      "netbox-version": FULL_VERSION[v],
      "netbox-full-version": `${FULL_VERSION[v]}-Community`,
      plugins,
      "python-version": "3.12.3",
      "rq-workers-running": 1,
    });
  }

  private selection(model: ModelDef, params: URLSearchParams, method: string): Selection {
    const fields = params.get("fields");
    if (fields) return { kind: "fields", names: fields.split(",") };
    const omit = atLeast(this.deps.version, "4.5") ? params.get("omit") : null;
    const excluded = params.get("exclude") === "config_context" && "config_context" in model.fields ? ["config_context"] : [];
    if (omit) return { kind: "omit", names: [...omit.split(","), ...excluded] };
    // Brief mode is on for any non-empty value (NetBox tests the raw string), on GET only.
    if (method === "GET" && params.get("brief")) return { kind: "brief" };
    return excluded.length ? { kind: "omit", names: excluded } : { kind: "full" };
  }

  private render(model: ModelDef, row: Row, call: Call, selection: Selection = { kind: "full" }): Record<string, unknown> {
    return this.deps.serializer.render(model, row, { origin: call.origin, version: this.deps.version }, selection);
  }

  private list(model: ModelDef, call: Call): Response {
    const params = call.url.searchParams;
    const cursor = atLeast(this.deps.version, "4.6") && params.has("start");
    if (cursor) {
      if (!/^\s*\d+\s*$/.test(params.get("start")!)) return json(["Invalid 'start' parameter: must be a non-negative integer."], 400);
      if (params.has("offset")) return json(["'start' and 'offset' are mutually exclusive."], 400);
      if (params.has("ordering")) return json(["Ordering cannot be specified in conjunction with cursor-based pagination."], 400);
    }
    const filtered = this.deps.query.filter(model, params, cursor ? ["id"] : undefined);
    if ("errors" in filtered) return json(filtered.errors, 400);
    const limit = this.limit(params);
    const selection = this.selection(model, params, call.method);
    const table = this.deps.db.table(model.ctype);
    const renderIds = (ids: number[]) => {
      charge(call.c, { reads: ids.length });
      return ids.map((id) => this.render(model, table.rows.get(id)!, call, selection));
    };
    if (cursor) {
      const start = Number(params.get("start"));
      const ids = filtered.ids;
      let from = 0;
      for (let hi = ids.length; from < hi; ) {
        const mid = (from + hi) >>> 1;
        if (ids[mid]! < start) from = mid + 1;
        else hi = mid;
      }
      const page = ids.slice(from, from + limit);
      const next = page.length === limit ? withParams(call.url, { start: String(page[page.length - 1]! + 1), limit: String(limit) }, ["offset"]) : null;
      return json({ count: null, next, previous: null, results: renderIds(page) });
    }
    const offset = positiveInt(params.get("offset")) ?? 0;
    const count = filtered.ids.length;
    const page = offset > count ? [] : filtered.ids.slice(offset, offset + limit);
    const next = offset + limit >= count ? null : withParams(call.url, { limit: String(limit), offset: String(offset + limit) });
    let previous: string | null = null;
    if (offset > 0) previous = offset - limit <= 0 ? withParams(call.url, { limit: String(limit) }, ["offset"]) : withParams(call.url, { limit: String(limit), offset: String(offset - limit) });
    return json({ count, next, previous, results: renderIds(page) });
  }

  /** `NetBoxPagination.get_limit`: default 50, capped at MAX_PAGE_SIZE, `0` meaning MAX_PAGE_SIZE. */
  private limit(params: URLSearchParams): number {
    const max = this.deps.maxPageSize;
    const raw = params.get("limit");
    if (raw === null || !/^\s*\d+\s*$/.test(raw)) return Math.min(PAGINATE_COUNT, max);
    const n = Number(raw);
    return n === 0 ? max : Math.min(max, n);
  }

  private find(model: ModelDef, id: string): Row | Response {
    const notFound = detail(/^\d+$/.test(id) ? `No ${model.objectName} matches the given query.` : "Not found.", 404);
    if (!/^\d+$/.test(id)) return notFound;
    return this.deps.db.get(model.ctype, Number(id)) ?? notFound;
  }

  private etagHeaders(row: Row): Record<string, string> {
    return atLeast(this.deps.version, "4.6") ? { ETag: etagOf(row.last_updated as number) } : {};
  }

  private retrieve(model: ModelDef, id: string, call: Call): Response {
    const row = this.find(model, id);
    if (row instanceof Response) return row;
    charge(call.c, { reads: 1 });
    return json(this.render(model, row, call, this.selection(model, call.url.searchParams, call.method)), 200, this.etagHeaders(row));
  }

  private runtime(call: Call): Response {
    const model = this.byPath.get("plugins/proxbox/settings")!;
    const row = this.deps.db.table(model.ctype).rows.values().next().value as Row;
    charge(call.c, { reads: 1 });
    const key = String(row.encryption_key ?? "");
    return json({ ...this.render(model, row, call), encryption_key_configured: key !== "", encryption_key: key });
  }

  // --- writes ---

  private async body(call: Call): Promise<{ data: unknown } | Response> {
    const text = await call.c.req.text();
    if (text.trim() === "") return { data: {} };
    const type = call.c.req.header("content-type") ?? "";
    if (!/^application\/json\b/i.test(type)) return detail(`Unsupported media type "${type}" in request.`, 415);
    try {
      return { data: JSON.parse(text) };
    } catch (err) {
      return detail(`JSON parse error - ${err instanceof Error ? err.message : String(err)}`, 400);
    }
  }

  /** Runs writes atomically; an `Abort` rolls back, drops the request's queued events and answers with its response. */
  private atomic(call: Call, work: () => Response): Response {
    try {
      return this.deps.db.transaction(work);
    } catch (err) {
      call.events.discard();
      if (err instanceof Abort) return err.response();
      throw err;
    }
  }

  private async detailWrite(model: ModelDef, id: string, call: Call): Promise<Response> {
    const found = this.find(model, id);
    if (found instanceof Response) return found;
    const body = await this.body(call);
    if (body instanceof Response) return body;
    const precondition = this.checkIfMatch(found, call);
    if (precondition) return precondition;
    const events = call.events;
    if (call.method === "DELETE") {
      return this.atomic(call, () => {
        this.deleteOne(model, found, events);
        return new Response(null, { status: 204 });
      });
    }
    const prepared = this.deps.writer.prepare(model, body.data, found, call.method === "PATCH");
    if ("errors" in prepared) return json(prepared.errors, 400);
    return this.atomic(call, () => {
      const saved = this.deps.writer.save(model, prepared.row, found, events);
      charge(call.c, { reads: 1 });
      return json(this.render(model, saved, call), 200, this.etagHeaders(saved));
    });
  }

  /** `If-Match` (4.6): any listed ETag must be current; `*` only asserts existence. */
  private checkIfMatch(row: Row, call: Call): Response | null {
    if (!atLeast(this.deps.version, "4.6")) return null;
    const header = call.c.req.header("if-match");
    if (!header || header.trim() === "*") return null;
    const current = etagOf(row.last_updated as number);
    const listed = header.split(",").map((s) => s.trim());
    return listed.includes(current) ? null : detail("Precondition failed.", 412, { ETag: current });
  }

  /** Deletes one object with its cascade, or aborts with NetBox's 409 when dependants protect it. */
  private deleteOne(model: ModelDef, row: Row, events: RequestEvents): void {
    const plan = this.deps.db.planDelete(model, [row.id]);
    if (plan.blockers.length) {
      const seen = new Set<string>();
      const blockers = plan.blockers.filter((b) => {
        const key = `${b.model.ctype}:${b.row.id}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const names = blockers.map((b) => `${b.model.display(b.row, this.deps.db)} (${b.row.id})`).join(", ");
      throw new Abort(409, { detail: `Unable to delete object. ${blockers.length} dependent objects were found: ${names}` });
    }
    this.deps.db.executeDelete(plan, events);
  }

  private async bulkWrite(model: ModelDef, call: Call): Promise<Response> {
    const body = await this.body(call);
    if (body instanceof Response) return body;
    const data = body.data;
    if (call.method === "POST") return Array.isArray(data) ? this.bulkCreate(model, data, call) : this.createOne(model, data, call);
    const ops = bulkOperations(data);
    if ("errors" in ops) return json(ops.errors, 400);
    const table = this.deps.db.table(model.ctype);
    const compare = this.deps.query.comparator(model, this.deps.query.ordering(model, null));
    const existing = [...new Set(ops.items.map((i) => i.id))]
      .map((id) => table.rows.get(id))
      .filter((r): r is Row => r !== undefined)
      .sort(compare);
    const events = call.events;
    if (call.method === "DELETE") {
      return this.atomic(call, () => {
        for (const row of existing) {
          const current = table.rows.get(row.id);
          if (current) this.deleteOne(model, current, events);
        }
        return new Response(null, { status: 204 });
      });
    }
    const byId = new Map(ops.items.map((i) => [i.id, i.data]));
    return this.atomic(call, () => {
      const saved: Row[] = [];
      for (const row of existing) {
        const current = table.rows.get(row.id)!;
        const prepared = this.deps.writer.prepare(model, byId.get(row.id), current, call.method === "PATCH");
        if ("errors" in prepared) throw new Abort(400, prepared.errors);
        saved.push(this.deps.writer.save(model, prepared.row, current, events));
      }
      charge(call.c, { reads: saved.length });
      return json(saved.sort(compare).map((r) => this.render(model, r, call)));
    });
  }

  private createOne(model: ModelDef, data: unknown, call: Call): Response {
    const prepared = this.deps.writer.prepare(model, data, null, false);
    if ("errors" in prepared) return json(prepared.errors, 400);
    return this.atomic(call, () => {
      const saved = this.deps.writer.save(model, prepared.row, null, call.events);
      charge(call.c, { reads: 1 });
      return json(this.render(model, saved, call), 201, this.etagHeaders(saved));
    });
  }

  /** A list POST: every item is validated before any is saved; errors come back as one dict per item. */
  private bulkCreate(model: ModelDef, items: unknown[], call: Call): Response {
    const prepared = items.map((item) => this.deps.writer.prepare(model, item, null, false));
    if (prepared.some((p) => "errors" in p)) return json(prepared.map((p) => ("errors" in p ? p.errors : {})), 400);
    return this.atomic(call, () => {
      const saved = prepared.map((p) => this.deps.writer.save(model, (p as { row: Row }).row, null, call.events));
      charge(call.c, { reads: saved.length });
      return json(saved.map((r) => this.render(model, r, call)), 201);
    });
  }

  // --- available IPs ---

  private availableIpsGet(id: string, call: Call): Response {
    const prefixModel = this.deps.db.model("ipam.prefix");
    const prefix = this.find(prefixModel, id);
    if (prefix instanceof Response) return prefix;
    const raw = call.url.searchParams.get("limit");
    const max = this.deps.maxPageSize;
    let limit = raw !== null && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) || max : PAGINATE_COUNT;
    limit = Math.min(limit, max);
    const net = parseIp(String(prefix.prefix))!;
    const vrf = typeof prefix.vrf === "number" ? this.deps.serializer.nested(this.deps.db.model("ipam.vrf"), this.deps.db.get("ipam.vrf", prefix.vrf)!, { origin: call.origin, version: this.deps.version }) : null;
    const hosts = availableHosts(this.deps.db, prefix, Math.max(0, limit));
    charge(call.c, { reads: hosts.length });
    return json(hosts.map((h) => ({ family: net.family, address: hostWithMask(net.family, h, net.length), vrf })));
  }

  private async availableIpsPost(id: string, call: Call): Promise<Response> {
    const prefixModel = this.deps.db.model("ipam.prefix");
    const prefix = this.find(prefixModel, id);
    if (prefix instanceof Response) return prefix;
    const body = await this.body(call);
    if (body instanceof Response) return body;
    const many = Array.isArray(body.data);
    const requests = many ? (body.data as unknown[]) : [body.data];
    const invalid = validateRequests(prefix, requests);
    if (invalid.errors) return json(invalid.errors, 400);
    const net = parseIp(String(prefix.prefix))!;
    const hosts = availableHosts(this.deps.db, prefix, requests.length);
    if (hosts.length < requests.length) return detail("Insufficient resources are available to satisfy the request", 409);
    const ipModel = this.deps.db.model("ipam.ipaddress");
    const prepared = requests.map((r, i) => {
      const { prefix_length: length, ...rest } = r as Record<string, unknown>;
      const mask = length === undefined || length === null || Number(length) === 0 ? net.length : Number(length);
      return this.deps.writer.prepare(ipModel, { ...rest, address: hostWithMask(net.family, hosts[i]!, mask), vrf: prefix.vrf }, null, false);
    });
    if (prepared.some((p) => "errors" in p)) {
      return json(many ? prepared.map((p) => ("errors" in p ? p.errors : {})) : (prepared[0] as { errors: unknown }).errors, 400);
    }
    return this.atomic(call, () => {
      const saved = prepared.map((p) => this.deps.writer.save(ipModel, (p as { row: Row }).row, null, call.events));
      charge(call.c, { reads: saved.length });
      const rendered = saved.map((r) => this.render(ipModel, r, call));
      return json(many ? rendered : rendered[0], 201);
    });
  }
}

/** `BulkOperationSerializer(many=True)`: a list of dicts, each with an integer `id`. */
function bulkOperations(data: unknown): { items: Array<{ id: number; data: Record<string, unknown> }> } | { errors: unknown } {
  if (!Array.isArray(data)) return { errors: { non_field_errors: [`Expected a list of items but got type "${data === null ? "NoneType" : typeof data === "object" ? "dict" : typeof data === "string" ? "str" : "int"}".`] } };
  let failed = false;
  const items: Array<{ id: number; data: Record<string, unknown> }> = [];
  const errors = data.map((item) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      failed = true;
      return { non_field_errors: [`Invalid data. Expected a dictionary, but got ${Array.isArray(item) ? "list" : typeof item === "string" ? "str" : "int"}.`] };
    }
    const raw = (item as Record<string, unknown>).id;
    if (raw === undefined) {
      failed = true;
      return { id: ["This field is required."] };
    }
    const id = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(id)) {
      failed = true;
      return { id: ["A valid integer is required."] };
    }
    const { id: _drop, ...rest } = item as Record<string, unknown>;
    void _drop;
    items.push({ id, data: rest });
    return {};
  });
  return failed ? { errors } : { items };
}

/** DRF's `_positive_int`: invalid or negative values fall back to the default. */
function positiveInt(raw: string | null): number | null {
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return null;
  return Number(raw);
}

/** DRF's `replace_query_param`/`remove_query_param`: parameters re-encoded in sorted order. */
function withParams(url: URL, set: Record<string, string>, remove: readonly string[] = []): string {
  const pairs: Array<[string, string]> = [];
  const keys = new Set([...url.searchParams.keys(), ...Object.keys(set)]);
  for (const key of [...keys].sort()) {
    if (remove.includes(key)) continue;
    if (key in set) pairs.push([key, set[key]!]);
    else for (const v of url.searchParams.getAll(key)) pairs.push([key, v]);
  }
  const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%20/g, "+")}`).join("&");
  return `${url.origin}${url.pathname}${query ? `?${query}` : ""}`;
}
