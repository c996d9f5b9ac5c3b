/**
 * NetBox 4.x simulator: a Hono app on the shared harness serving `/api/…` like NetBox 4.2–4.6 (selectable), built
 * on a generic model engine (declarative models in `models/`, indexed tables in `engine/`), strict about
 * authentication, URLs, filters, writes and their errors, with event-rule webhooks and, optionally, the
 * netbox-proxbox plugin's models. Typed accessors let tests and benchmarks seed and inspect it directly.
 */
import { SimClock } from "../common/clock";
import { COST_MODEL_OFF, type CostModelSettings } from "../common/cost-model";
import { SimHarness } from "../common/harness";
import { Rng } from "../common/rng";
import { NetboxApi } from "./api";
import { randomAlnum, type SimToken, TokenStore } from "./auth";
import { Abort, Database, NO_EVENTS } from "./engine/db";
import { QueryEngine } from "./engine/query";
import { Serializer } from "./engine/serialize";
import type { ModelDef, Row } from "./engine/types";
import { Writer } from "./engine/write";
import { faultResponse } from "./errors";
import { WebhookDispatcher, type WebhookDelivery } from "./events";
import { AsyncMutex } from "./lock";
import { modelsFor } from "./models";
import { atLeast, type NetboxVersion } from "./version";

export type { NetboxVersion } from "./version";
export type { WebhookDelivery } from "./events";
export { hmacSha512Hex } from "./events";

export interface NetboxSimOptions {
  seed?: number;
  clock?: SimClock;
  /** Default off; benchmarks pass `BENCHMARK_COSTS.netbox` (4 workers). */
  cost?: CostModelSettings;
  /** Default "4.6": API-Version header, v2 tokens (≥ 4.5), cursor paging and ETag (4.6), webhook body shape. */
  version?: NetboxVersion;
  /** Serve the netbox-proxbox plugin's models under `/api/plugins/proxbox/…` (default false). */
  plugin?: boolean;
  /** MAX_PAGE_SIZE (default 1000). */
  maxPageSize?: number;
  /** How event-rule webhooks are delivered (default: global fetch). */
  webhookFetch?: (request: Request) => Promise<Response>;
}

/** Thrown by the seeding helpers when NetBox would reject the write; `body` is the API's error body. */
export class NetboxSimError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`NetBox simulator rejected the write (${status}): ${JSON.stringify(body)}`);
    this.name = "NetboxSimError";
  }
}

export class NetboxSim {
  readonly harness: SimHarness;
  /** Write-enabled tokens of user `admin`; `v2` exists from 4.5 (before that its fields are empty). */
  readonly tokens: { v1: string; v2: { key: string; secret: string } };
  readonly version: NetboxVersion;
  readonly plugin: boolean;
  private readonly db: Database;
  private readonly serializer: Serializer;
  private readonly writer: Writer;
  private readonly store: TokenStore;
  private readonly rng: Rng;
  private readonly webhooks: WebhookDispatcher;

  constructor(options: NetboxSimOptions = {}) {
    this.version = options.version ?? "4.6";
    this.plugin = options.plugin ?? false;
    const clock = options.clock ?? new SimClock();
    const seed = options.seed ?? 1;
    this.rng = new Rng(seed ^ 0x4e42);
    this.db = new Database(modelsFor(this.version, this.plugin), clock, this.version);
    this.serializer = new Serializer(this.db);
    this.writer = new Writer(this.db);
    this.store = new TokenStore(this.version);
    this.tokens = { v1: this.addToken({ version: 1 }).plaintext, v2: { key: "", secret: "" } };
    if (atLeast(this.version, "4.5")) {
      const v2 = this.addToken({ version: 2 });
      this.tokens.v2 = { key: v2.key!, secret: v2.plaintext };
    }
    this.harness = new SimHarness({ name: "netbox", clock, seed, cost: options.cost ?? COST_MODEL_OFF, faultResponse: faultResponse(this.version) });
    this.webhooks = new WebhookDispatcher(this.db, this.serializer, clock, this.version, options.webhookFetch ?? ((req) => fetch(req)));
    if (this.plugin) this.create("plugins/proxbox/settings", {});
    new NetboxApi({
      harness: this.harness,
      db: this.db,
      serializer: this.serializer,
      writer: this.writer,
      query: new QueryEngine(this.db),
      tokens: this.store,
      webhooks: this.webhooks,
      ipLock: new AsyncMutex(),
      version: this.version,
      maxPageSize: options.maxPageSize ?? 1000,
      plugin: this.plugin,
    }).mount(this.harness.app);
    this.harness.app.get("/_sim/netbox/counts", (c) => c.json(this.counts()));
  }

  /** Serves a request like the network would (a simulated drop rejects like a lost connection). */
  fetch(request: Request): Promise<Response> {
    return this.harness.fetch(request);
  }

  /** Adds an API token (random plaintext unless given); read-only, disabled or expiring tokens for tests. */
  addToken(spec: { version: 1 | 2; writeEnabled?: boolean; enabled?: boolean; expires?: number | null; user?: string; plaintext?: string; key?: string }): SimToken {
    return this.store.add({
      version: spec.version,
      key: spec.version === 2 ? (spec.key ?? randomAlnum(this.rng, 12)) : undefined,
      plaintext: spec.plaintext ?? randomAlnum(this.rng, 40),
      writeEnabled: spec.writeEnabled ?? true,
      enabled: spec.enabled ?? true,
      expires: spec.expires ?? null,
      user: spec.user ?? "admin",
    });
  }

  /** `Authorization` header values for the built-in tokens. */
  authHeader(kind: "v1" | "v2" = atLeast(this.version, "4.5") ? "v2" : "v1"): string {
    return kind === "v1" ? `Token ${this.tokens.v1}` : `Bearer nbt_${this.tokens.v2.key}.${this.tokens.v2.secret}`;
  }

  // --- seeding and inspection (bypass HTTP, same validation, no webhooks) ---

  private modelOf(key: string): ModelDef {
    const m = this.db.models.find((x) => x.path === key || x.ctype === key || `/api/${x.path}/` === key);
    if (!m) throw new Error(`the simulator has no model ${key}`);
    return m;
  }

  /** Creates an object as a POST would (same validation); returns it in API shape. */
  create(model: string, data: Record<string, unknown>): Record<string, unknown> {
    const m = this.modelOf(model);
    const prepared = this.writer.prepare(m, data, null, false);
    if ("errors" in prepared) throw new NetboxSimError(400, prepared.errors);
    const row = this.guard(() => this.db.transaction(() => this.writer.save(m, prepared.row, null, NO_EVENTS)));
    return this.render(m, row);
  }

  /** Updates an object as a PATCH would. */
  update(model: string, id: number, data: Record<string, unknown>): Record<string, unknown> {
    const m = this.modelOf(model);
    const before = this.db.get(m.ctype, id);
    if (!before) throw new NetboxSimError(404, { detail: `No ${m.objectName} matches the given query.` });
    const prepared = this.writer.prepare(m, data, before, true);
    if ("errors" in prepared) throw new NetboxSimError(400, prepared.errors);
    const row = this.guard(() => this.db.transaction(() => this.writer.save(m, prepared.row, before, NO_EVENTS)));
    return this.render(m, row);
  }

  /** Deletes an object and its cascade (throws on PROTECT like a 409). */
  delete(model: string, id: number): void {
    const m = this.modelOf(model);
    const plan = this.db.planDelete(m, [id]);
    if (plan.blockers.length) throw new NetboxSimError(409, { detail: `Unable to delete object. ${plan.blockers.length} dependent objects were found` });
    this.db.transaction(() => this.db.executeDelete(plan, NO_EVENTS));
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (err) {
      if (err instanceof Abort) throw new NetboxSimError(err.status, err.body);
      throw err;
    }
  }

  private render(m: ModelDef, row: Row): Record<string, unknown> {
    return this.serializer.render(m, row, { origin: "http://netbox.sim", version: this.version });
  }

  /** An object in API shape (URLs relative to `http://netbox.sim`), or undefined. */
  get(model: string, id: number): Record<string, unknown> | undefined {
    const m = this.modelOf(model);
    const row = this.db.get(m.ctype, id);
    return row ? this.render(m, row) : undefined;
  }

  /** All objects of a model in API shape, by id. */
  all(model: string): Record<string, unknown>[] {
    const m = this.modelOf(model);
    return [...this.db.rows(m.ctype)].sort((a, b) => a.id - b.id).map((r) => this.render(m, r));
  }

  count(model: string): number {
    return this.db.count(this.modelOf(model).ctype);
  }

  /** Object counts per API path. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.db.models.map((m) => [m.path, this.db.count(m.ctype)]));
  }

  /** The API paths this simulator serves (below `/api/`, without slashes). */
  paths(): string[] {
    return this.db.models.map((m) => m.path);
  }

  // --- webhooks ---

  /** Every webhook delivery attempted so far (request, body bytes as text, receiver status). */
  get deliveries(): readonly WebhookDelivery[] {
    return this.webhooks.deliveries;
  }

  get pendingDeliveries(): number {
    return this.webhooks.pendingCount;
  }

  /** Resolves when every queued webhook delivery has been attempted. */
  drainWebhooks(): Promise<void> {
    return this.webhooks.drain();
  }
}

export function createNetboxSim(options: NetboxSimOptions = {}): NetboxSim {
  return new NetboxSim(options);
}
