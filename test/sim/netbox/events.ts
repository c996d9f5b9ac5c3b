/**
 * Event rules and webhooks as NetBox runs them (`extras/events.py`, `extras/webhooks.py`): changes are queued per
 * request and coalesced per object (`app.model:pk`; an update then a delete becomes a delete, whose data is frozen
 * before the row goes), and only after the request completes are the matching enabled rules evaluated and their
 * webhooks sent — the version's default body (`json.dumps` bytes), `X-Hook-Signature` = hex HMAC-SHA512 of those
 * bytes with the webhook's secret, no retries.
 */
import type { SimClock } from "../common/clock";
import type { ChangeKind, ChangeSink, Database } from "./engine/db";
import { pythonJsonDumps } from "./engine/python-repr";
import type { Serializer } from "./engine/serialize";
import { isoformat } from "./engine/time";
import type { ModelDef, Row } from "./engine/types";
import { atLeast, type NetboxVersion } from "./version";

interface QueuedEvent {
  model: ModelDef;
  id: number;
  event: ChangeKind;
  prechange: Record<string, unknown> | null;
  postchange: Record<string, unknown> | null;
  /** Frozen payload of a delete; other events serialise the current row when flushed. */
  frozen: Record<string, unknown> | null;
}

export interface RequestInfo {
  id: string;
  method: string;
  path: string;
  user: string;
}

/** A request's event queue: the `ChangeSink` the engine writes to while the request runs. */
export class RequestEvents implements ChangeSink {
  readonly queue = new Map<string, QueuedEvent>();
  /** Objects written (before coalescing), for the cost model. */
  writes = 0;

  constructor(
    private readonly serializer: Serializer,
    private readonly version: NetboxVersion,
    /** Whether any enabled event rule watches this object type (only those changes are queued). */
    private readonly watched: (ctype: string) => boolean,
  ) {}

  /** Forgets queued events: their changes were rolled back, and a failed request dispatches nothing. */
  discard(): void {
    this.queue.clear();
  }

  changed(kind: ChangeKind, model: ModelDef, before: Row | null, after: Row | null): void {
    this.writes++;
    if (!model.features.events || !this.watched(model.ctype)) return;
    const row = (after ?? before)!;
    const key = `${model.ctype}:${row.id}`;
    const existing = this.queue.get(key);
    const postchange = after ? this.serializer.snapshot(model, after) : null;
    const frozen = kind === "deleted" ? this.serializer.render(model, before!, { origin: "", version: this.version }) : null;
    if (existing) {
      existing.postchange = postchange;
      if (kind === "deleted") {
        existing.event = "deleted";
        existing.frozen = frozen;
      }
      return;
    }
    this.queue.set(key, { model, id: row.id, event: kind, prechange: before ? this.serializer.snapshot(model, before) : null, postchange, frozen });
  }
}

export interface WebhookDelivery {
  webhookId: number;
  eventRuleId: number;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  /** The receiver's status, or null when the request failed. */
  status: number | null;
  error?: string;
}

const WEBHOOK_EVENTS: Record<ChangeKind, string> = { created: "created", updated: "updated", deleted: "deleted" };

export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly serializer: Serializer,
    private readonly clock: SimClock,
    private readonly version: NetboxVersion,
    private readonly send: (request: Request) => Promise<Response>,
  ) {}

  /** Resolves when every delivery queued so far has been attempted. */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private watchCache: { version: number; types: Set<string> } | null = null;

  /** Object types some enabled event rule watches (cached until the rules change). */
  watches(ctype: string): boolean {
    const table = this.db.table("extras.eventrule");
    if (!this.watchCache || this.watchCache.version !== table.version) {
      const types = new Set<string>();
      for (const rule of table.rows.values()) if (rule.enabled) for (const t of rule.object_types as string[]) types.add(t);
      this.watchCache = { version: table.version, types };
    }
    return this.watchCache.types.has(ctype);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Processes a finished request's queue: matching rules, conditions, webhook sends (asynchronously). */
  flush(events: RequestEvents, request: RequestInfo): void {
    for (const e of events.queue.values()) {
      const data = e.frozen ?? this.currentData(e);
      if (!data) continue;
      for (const rule of this.db.rows("extras.eventrule")) {
        if (!rule.enabled || rule.action_type !== "webhook") continue;
        if (!(rule.object_types as string[]).includes(e.model.ctype)) continue;
        if (!(rule.event_types as string[]).includes(`object_${e.event}`)) continue;
        if (rule.conditions && !evalConditions(rule.conditions, data)) continue;
        const webhook = this.db.get("extras.webhook", rule.action_object_id as number);
        if (!webhook) continue;
        const body = this.body(e, data, request);
        this.track(this.deliver(rule, webhook, body, data));
      }
    }
  }

  private currentData(e: QueuedEvent): Record<string, unknown> | null {
    const row = this.db.get(e.model.ctype, e.id);
    return row ? this.serializer.render(e.model, row, { origin: "", version: this.version }) : null;
  }

  /** The default body of the simulated version (spec §10 table), keys in NetBox's order. */
  private body(e: QueuedEvent, data: Record<string, unknown>, request: RequestInfo): Record<string, unknown> {
    const v = this.version;
    const body: Record<string, unknown> = { event: WEBHOOK_EVENTS[e.event], timestamp: isoformat(this.clock.now() * 1000) };
    if (atLeast(v, "4.4")) body.object_type = e.model.ctype;
    if (!atLeast(v, "4.5")) body.model = e.model.ctype.split(".")[1];
    body.username = request.user;
    body.request_id = request.id;
    body.data = data;
    if (atLeast(v, "4.6")) body.request = { id: request.id, method: request.method, path: request.path, user: request.user };
    body.snapshots = { prechange: e.prechange, postchange: e.postchange };
    return body;
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async deliver(rule: Row, webhook: Row, context: Record<string, unknown>, data: Record<string, unknown>): Promise<void> {
    // Delivery happens after the request completes, in another task, as NetBox's RQ worker does.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const body = webhook.body_template ? renderTemplate(String(webhook.body_template), { ...context, data }) : pythonJsonDumps(context);
    const headers: Record<string, string> = { "Content-Type": String(webhook.http_content_type) };
    for (const line of String(webhook.additional_headers ?? "").split("\n")) {
      const i = line.indexOf(":");
      if (i > 0) headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    const bytes = new TextEncoder().encode(body);
    if (webhook.secret) headers["X-Hook-Signature"] = await hmacSha512Hex(String(webhook.secret), bytes);
    const url = String(webhook.payload_url);
    const method = String(webhook.http_method);
    const record: WebhookDelivery = { webhookId: webhook.id, eventRuleId: rule.id, url, method, headers, body, status: null };
    this.deliveries.push(record);
    try {
      const res = await this.send(new Request(url, { method, headers, body: method === "GET" ? undefined : bytes }));
      record.status = res.status;
      await res.body?.cancel();
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
    }
  }
}

/** Lowercase hex HMAC-SHA512, as `extras.webhooks.generate_signature`. */
export async function hmacSha512Hex(secret: string, body: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-512" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new Uint8Array(body)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A `{{ a.b.c }}` substitution — enough of Jinja2 for templated bodies in tests (filters are not supported). */
function renderTemplate(template: string, context: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
    const v = lookup(context, path);
    return v === null || v === undefined ? "None" : typeof v === "object" ? pythonJsonDumps(v) : String(v);
  });
}

function lookup(data: unknown, path: string): unknown {
  let v: unknown = data;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** NetBox's `ConditionSet`: `{attr, value, op?, negate?}` leaves under `and`/`or` lists. */
export function evalConditions(spec: unknown, data: Record<string, unknown>): boolean {
  if (spec === null || typeof spec !== "object") return true;
  const s = spec as Record<string, unknown>;
  if (Array.isArray(s.and)) return s.and.every((c) => evalConditions(c, data));
  if (Array.isArray(s.or)) return s.or.some((c) => evalConditions(c, data));
  const actual = lookup(data, String(s.attr));
  const wanted = s.value;
  let result: boolean;
  switch (s.op ?? "eq") {
    case "gt":
      result = Number(actual) > Number(wanted);
      break;
    case "gte":
      result = Number(actual) >= Number(wanted);
      break;
    case "lt":
      result = Number(actual) < Number(wanted);
      break;
    case "lte":
      result = Number(actual) <= Number(wanted);
      break;
    case "in":
      result = Array.isArray(wanted) && wanted.includes(actual);
      break;
    case "contains":
      result = Array.isArray(actual) ? actual.includes(wanted) : String(actual ?? "").includes(String(wanted));
      break;
    case "regex":
      result = new RegExp(String(wanted)).test(String(actual ?? ""));
      break;
    default:
      result = actual === wanted;
  }
  return s.negate ? !result : result;
}
