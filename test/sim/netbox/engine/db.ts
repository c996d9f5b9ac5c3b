/**
 * The simulator's database: one `Table` per model, the reverse relations between them (for delete protection,
 * cascades and counts), an undo journal so a bulk request is all-or-nothing like NetBox's `transaction.atomic`,
 * and strictly increasing timestamps (microseconds, like PostgreSQL) so every change gets a distinct ETag.
 */
import type { SimClock } from "../../common/clock";
import type { NetboxVersion } from "../version";
import { Table } from "./table";
import type { DbWriter, ModelDef, OnDelete, Row } from "./types";

export type ChangeKind = "created" | "updated" | "deleted";

/**
 * Receives every change a request makes (the event queue of that request). Passing a sink also fires the model's
 * signal receivers; `null` is a silent `QuerySet.update()`-style change.
 */
export interface ChangeSink {
  changed(kind: ChangeKind, model: ModelDef, before: Row | null, after: Row | null): void;
}

/** Fires signal receivers but queues no events (scenario building). */
export const NO_EVENTS: ChangeSink = { changed: () => undefined };

interface Relation {
  from: ModelDef;
  field: string;
  onDelete: OnDelete;
}

interface GenericRelation {
  from: ModelDef;
  typeField: string;
  idField: string;
  onDelete: "cascade" | "set_null";
}

export interface DeletePlan {
  /** Rows to delete, dependants first. */
  deletes: Array<{ model: ModelDef; row: Row }>;
  /** FK fields to clear (Django's SET_NULL, done without signals). */
  clears: Array<{ model: ModelDef; id: number; field: string }>;
  /** Rows that block the delete (PROTECT). */
  blockers: Array<{ model: ModelDef; row: Row }>;
}

/** Thrown inside a transaction to roll it back and answer with this status and JSON body. */
export class Abort extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`request aborted with ${status}`);
  }

  response(): Response {
    return new Response(JSON.stringify(this.body), { status: this.status, headers: { "Content-Type": "application/json", ...this.headers } });
  }
}

export class Database implements DbWriter {
  private readonly tables = new Map<string, Table>();
  private readonly relations = new Map<string, Relation[]>();
  private readonly m2mRelations = new Map<string, Relation[]>();
  private readonly genericRelations = new Map<string, GenericRelation[]>();
  private journal: Array<() => void> | null = null;
  private lastStamp = 0;

  constructor(
    readonly models: readonly ModelDef[],
    readonly clock: SimClock,
    readonly version: NetboxVersion,
  ) {
    for (const m of models) {
      this.tables.set(m.ctype, new Table(m));
      this.relations.set(m.ctype, []);
      this.m2mRelations.set(m.ctype, []);
      this.genericRelations.set(m.ctype, []);
    }
    for (const m of models) {
      for (const [field, def] of Object.entries(m.fields)) {
        if (def.kind === "fk") this.relations.get(def.to)?.push({ from: m, field, onDelete: def.onDelete });
        if (def.kind === "m2m") this.m2mRelations.get(def.to)?.push({ from: m, field, onDelete: "set_null" });
        if (def.kind === "tags") this.m2mRelations.get("extras.tag")?.push({ from: m, field, onDelete: "set_null" });
      }
      for (const g of m.genericFks ?? []) {
        for (const target of g.allowed) this.genericRelations.get(target)?.push({ from: m, typeField: g.typeField, idField: g.idField, onDelete: g.onDelete });
      }
    }
  }

  // --- DbView ---

  has(ctype: string): boolean {
    return this.tables.has(ctype);
  }

  table(ctype: string): Table {
    const t = this.tables.get(ctype);
    if (!t) throw new Error(`no model ${ctype}`);
    return t;
  }

  model(ctype: string): ModelDef {
    return this.table(ctype).model;
  }

  get(ctype: string, id: number): Row | undefined {
    return this.tables.get(ctype)?.rows.get(id);
  }

  referrers(ctype: string, field: string, target: number): ReadonlySet<number> {
    return this.table(ctype).referrers(field, target);
  }

  genericReferrers(ctype: string, typeField: string, targetCtype: string, targetId: number): ReadonlySet<number> {
    return this.table(ctype).genericReferrers(typeField, targetCtype, targetId);
  }

  m2mReferrers(ctype: string, field: string, target: number): ReadonlySet<number> {
    return this.table(ctype).m2mReferrers(field, target);
  }

  byValue(ctype: string, field: string, value: unknown): ReadonlySet<number> {
    return this.table(ctype).byValue(field, value);
  }

  rows(ctype: string): Iterable<Row> {
    return this.table(ctype).rows.values();
  }

  count(ctype: string): number {
    return this.tables.get(ctype)?.rows.size ?? 0;
  }

  // --- time ---

  /** A timestamp in microseconds, strictly greater than the previous one. */
  stamp(): number {
    this.lastStamp = Math.max(this.clock.now() * 1000, this.lastStamp + 1);
    return this.lastStamp;
  }

  // --- transactions ---

  /** Runs `work` atomically: if it throws, every change it made is undone. Nested calls join the outer one. */
  transaction<T>(work: () => T): T {
    if (this.journal) return work();
    this.journal = [];
    try {
      const result = work();
      this.journal = null;
      return result;
    } catch (err) {
      const undo = this.journal ?? [];
      this.journal = null;
      for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
      throw err;
    }
  }

  private record(undo: () => void): void {
    this.journal?.push(undo);
  }

  nextId(ctype: string): number {
    return this.table(ctype).nextId;
  }

  insert(model: ModelDef, row: Row, sink: ChangeSink | null): void {
    const table = this.table(model.ctype);
    const previousNext = table.nextId;
    table.insert(row);
    this.record(() => {
      table.remove(row);
      table.nextId = previousNext;
    });
    if (sink) {
      sink.changed("created", model, null, row);
      model.afterChange?.(null, row, this);
    }
  }

  replace(model: ModelDef, before: Row, after: Row, sink: ChangeSink | null): void {
    const table = this.table(model.ctype);
    table.replace(before, after);
    this.record(() => table.replace(after, before));
    if (sink) {
      sink.changed("updated", model, before, after);
      model.afterChange?.(before, after, this);
    }
  }

  updateSilently(ctype: string, id: number, patch: Record<string, unknown>): void {
    const row = this.get(ctype, id);
    if (row) this.replace(this.model(ctype), row, { ...row, ...patch }, null);
  }

  remove(model: ModelDef, row: Row, sink: ChangeSink | null): void {
    const table = this.table(model.ctype);
    table.remove(row);
    this.record(() => table.insert(row));
    if (sink) {
      sink.changed("deleted", model, row, null);
      model.afterChange?.(row, null, this);
    }
  }

  // --- deletion ---

  /** What deleting these rows would do, following PROTECT, CASCADE and SET_NULL like Django's collector. */
  planDelete(model: ModelDef, ids: readonly number[]): DeletePlan {
    const plan: DeletePlan = { deletes: [], clears: [], blockers: [] };
    const seen = new Set<string>();
    const visit = (m: ModelDef, row: Row) => {
      const key = `${m.ctype}:${row.id}`;
      if (seen.has(key)) return;
      seen.add(key);
      for (const rel of this.relations.get(m.ctype) ?? []) {
        for (const id of this.referrers(rel.from.ctype, rel.field, row.id)) {
          const dependant = this.get(rel.from.ctype, id)!;
          if (rel.onDelete === "protect") plan.blockers.push({ model: rel.from, row: dependant });
          else if (rel.onDelete === "cascade") visit(rel.from, dependant);
          else plan.clears.push({ model: rel.from, id, field: rel.field });
        }
      }
      for (const rel of this.genericRelations.get(m.ctype) ?? []) {
        for (const id of this.genericReferrers(rel.from.ctype, rel.typeField, m.ctype, row.id)) {
          const dependant = this.get(rel.from.ctype, id)!;
          if (rel.onDelete === "cascade") visit(rel.from, dependant);
          else {
            plan.clears.push({ model: rel.from, id, field: rel.typeField });
            plan.clears.push({ model: rel.from, id, field: rel.idField });
          }
        }
      }
      plan.deletes.push({ model: m, row });
    };
    for (const id of ids) {
      const row = this.get(model.ctype, id);
      if (row) visit(model, row);
    }
    // A row cleared or protected by a relation but itself deleted by the cascade does not count.
    plan.blockers = plan.blockers.filter((b) => !seen.has(`${b.model.ctype}:${b.row.id}`));
    plan.clears = plan.clears.filter((c) => !seen.has(`${c.model.ctype}:${c.id}`));
    return plan;
  }

  /** Carries out a plan without blockers; m2m links to deleted rows disappear with them. */
  executeDelete(plan: DeletePlan, sink: ChangeSink | null): void {
    for (const clear of plan.clears) {
      const row = this.get(clear.model.ctype, clear.id);
      if (row && row[clear.field] !== null) this.replace(clear.model, row, { ...row, [clear.field]: null }, null);
    }
    for (const { model, row } of plan.deletes) {
      for (const rel of this.m2mRelations.get(model.ctype) ?? []) {
        for (const id of [...this.m2mReferrers(rel.from.ctype, rel.field, row.id)]) {
          const other = this.get(rel.from.ctype, id)!;
          const kept = (other[rel.field] as number[]).filter((t) => t !== row.id);
          this.replace(rel.from, other, { ...other, [rel.field]: kept }, null);
        }
      }
    }
    for (const { model, row } of plan.deletes) {
      const current = this.get(model.ctype, row.id);
      if (current) this.remove(model, current, sink);
    }
  }
}
