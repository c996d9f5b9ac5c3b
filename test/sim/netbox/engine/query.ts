/**
 * List filtering and ordering like NetBox's filtersets: repeated values OR together (tags AND), the usual lookups
 * per field type (`__n`, `__ic`, `__gte`, …), `cf_<name>`, `q`, `ordering`. Unknown parameters are ignored, but
 * a known filter with an invalid value (a bad number, an unknown choice, a related object that does not exist)
 * is a 400 with django-filter's message. Indexed filters narrow the candidates before any predicate runs.
 */
import { atLeast } from "../version";
import { cfMatches, customFieldsFor } from "./custom-fields";
import type { Database } from "./db";
import { hostKey, parseIp } from "../ip";
import { parseDateTime } from "./time";
import type { FieldDef, FilterDef, ModelDef, Row } from "./types";

/** Query parameters that are not filters. */
export const RESERVED_PARAMS = new Set(["limit", "offset", "start", "brief", "fields", "omit", "ordering", "format", "exclude", "export"]);

const STR_LOOKUPS = ["n", "ic", "nic", "ie", "nie", "iew", "niew", "isw", "nisw", "empty"];
const NUM_LOOKUPS = ["n", "gt", "gte", "lt", "lte", "empty"];

/** The query parameter names a filter declaration accepts (used by conformance checks). */
export function filterParams(name: string, def: FilterDef): string[] {
  switch (def.kind) {
    case "value": {
      if (def.type === "bool" || def.lookups === false) return [name];
      const lookups = Array.isArray(def.lookups) ? def.lookups : def.type === "str" || def.type === "choice" ? STR_LOOKUPS : NUM_LOOKUPS;
      return [name, ...lookups.map((l) => `${name}__${l}`)];
    }
    case "fk_id":
    case "fk_attr":
      return def.negate === false ? [name] : [name, `${name}__n`];
    case "tag":
      return [name, `${name}__n`];
    case "custom":
      return [name];
  }
}

export type FilterResult = { ids: number[] } | { errors: Record<string, string[]> };

interface Condition {
  candidates?: ReadonlySet<number> | null;
  test: (row: Row) => boolean;
}

const naturalCache = new WeakMap<Row, Map<string, string>>();

/** NetBox's `naturalize`: digit runs padded so plain string comparison sorts `eth2` before `eth10`. */
function naturalKey(row: Row, field: string): string {
  let m = naturalCache.get(row);
  if (!m) naturalCache.set(row, (m = new Map()));
  let key = m.get(field);
  if (key === undefined) {
    key = String(row[field] ?? "").replace(/\d+/g, (d) => d.padStart(10, "0"));
    m.set(field, key);
  }
  return key;
}

export class QueryEngine {
  constructor(private readonly db: Database) {}

  private parseValues(def: FilterDef, name: string, raw: string[], errors: Record<string, string[]>, model: ModelDef): unknown[] | null {
    const bad = (msg: string) => {
      (errors[name] ??= []).push(msg);
      return null;
    };
    if (def.kind === "value") {
      const field = model.fields[def.field];
      if (def.type === "int" || def.type === "num") {
        const out: number[] = [];
        for (const v of raw) {
          if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(v)) return bad("Enter a number.");
          out.push(Number(v));
        }
        return out;
      }
      if (def.type === "datetime") {
        const out: number[] = [];
        for (const v of raw) {
          const us = parseDateTime(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00` : v);
          if (us === null) return bad("Enter a valid date/time.");
          out.push(us);
        }
        return out;
      }
      if (def.type === "choice" && field?.kind === "choice") {
        for (const v of raw) {
          if (!field.choices.some(([c]) => String(c) === v)) return bad(`Select a valid choice. ${v} is not one of the available choices.`);
        }
      }
      return raw;
    }
    if (def.kind === "fk_id") {
      const target = (model.fields[def.field] as Extract<FieldDef, { kind: "fk" }>).to;
      const out: Array<number | null> = [];
      for (const v of raw) {
        if (v === "null") {
          out.push(null);
          continue;
        }
        if (!/^\s*\d+\s*$/.test(v)) return bad(def.validate === false ? "Enter a number." : `“${v}” is not a valid value.`);
        const id = Number(v);
        if (def.validate !== false && !this.db.get(target, id)) return bad(`Select a valid choice. ${id} is not one of the available choices.`);
        out.push(id);
      }
      return out;
    }
    if (def.kind === "fk_attr" || def.kind === "tag") {
      const target = def.kind === "tag" ? "extras.tag" : (model.fields[def.field] as Extract<FieldDef, { kind: "fk" }>).to;
      const attr = def.kind === "tag" ? "slug" : def.attr;
      const out: Array<number | null> = [];
      for (const v of raw) {
        if (v === "null" && def.kind === "fk_attr") {
          out.push(null);
          continue;
        }
        const hit = this.db.has(target) ? [...this.db.byValue(target, attr, v)][0] : undefined;
        if (hit === undefined) return bad(`Select a valid choice. ${v} is not one of the available choices.`);
        out.push(hit);
      }
      return out;
    }
    if (def.type === "int") {
      const out: number[] = [];
      for (const v of raw) {
        if (!/^\s*\d+\s*$/.test(v)) return bad("Enter a number.");
        const id = Number(v);
        if (def.validateModel && !this.db.get(def.validateModel, id)) return bad(`Select a valid choice. ${id} is not one of the available choices.`);
        out.push(id);
      }
      return out;
    }
    if (def.type === "bool") return raw.map((v) => ["true", "1", "True"].includes(v));
    return raw;
  }

  private condition(model: ModelDef, def: FilterDef, lookup: string, values: unknown[]): Condition | null {
    const negate = lookup === "n";
    switch (def.kind) {
      case "value": {
        const field = def.field;
        if (def.type === "bool") {
          const wanted = values[values.length - 1] === "true" || values[values.length - 1] === "True" || values[values.length - 1] === "1";
          return { test: (r) => r[field] === wanted };
        }
        return this.valueCondition(model, field, def.type, lookup, values);
      }
      case "fk_id":
      case "fk_attr": {
        const field = def.field;
        const set = new Set(values as Array<number | null>);
        const test = (r: Row) => set.has((r[field] as number | null) ?? null);
        if (negate) return { test: (r) => !test(r) };
        const ids = (values as Array<number | null>).filter((v): v is number => v !== null);
        const candidates = values.includes(null) ? null : unionOf(ids.map((id) => this.db.referrers(model.ctype, field, id)));
        return { candidates, test };
      }
      case "tag": {
        const tagIds = values as number[];
        if (negate) return { test: (r) => !tagIds.some((t) => (r.tags as number[]).includes(t)) };
        // Repeated tags mean AND (the object has every tag).
        const sets = tagIds.map((t) => this.db.m2mReferrers(model.ctype, "tags", t));
        const smallest = sets.sort((a, b) => a.size - b.size)[0] ?? null;
        return { candidates: smallest, test: (r) => tagIds.every((t) => (r.tags as number[]).includes(t)) };
      }
      case "custom": {
        const typed = values as Array<string | number | boolean>;
        const candidates = def.candidates?.(typed, this.db);
        return { candidates: candidates ? new Set(candidates) : null, test: (r) => def.match(r, typed, this.db) };
      }
    }
  }

  private valueCondition(model: ModelDef, field: string, type: string, lookup: string, values: unknown[]): Condition {
    const table = this.db.table(model.ctype);
    if (lookup === "empty") {
      const wantEmpty = String(values[values.length - 1]).toLowerCase() === "true";
      return { test: (r) => (r[field] === null || r[field] === "" || r[field] === undefined) === wantEmpty };
    }
    if (type === "int" || type === "num" || type === "datetime") {
      const nums = values as number[];
      const cmp: Record<string, (a: number, b: number) => boolean> = { gt: (a, b) => a > b, gte: (a, b) => a >= b, lt: (a, b) => a < b, lte: (a, b) => a <= b };
      if (cmp[lookup]) return { test: (r) => typeof r[field] === "number" && nums.every((b) => cmp[lookup]!(r[field] as number, b)) };
      const match = (r: Row) => nums.includes(r[field] as number);
      if (lookup === "n") return { test: (r) => !match(r) };
      const candidates = field === "id" ? new Set(nums.filter((n) => table.rows.has(n))) : table.hasValueIndex(field) ? unionOf(nums.map((n) => table.byValue(field, n))) : null;
      return { candidates, test: match };
    }
    const strs = values.map(String);
    const lower = strs.map((s) => s.toLowerCase());
    const text = (r: Row) => String(r[field] ?? "");
    const tests: Record<string, (r: Row) => boolean> = {
      ic: (r) => lower.some((s) => text(r).toLowerCase().includes(s)),
      ie: (r) => lower.includes(text(r).toLowerCase()),
      iew: (r) => lower.some((s) => text(r).toLowerCase().endsWith(s)),
      isw: (r) => lower.some((s) => text(r).toLowerCase().startsWith(s)),
    };
    if (tests[lookup]) return { test: tests[lookup]! };
    if (lookup.startsWith("n") && tests[lookup.slice(1)]) {
      const inner = tests[lookup.slice(1)]!;
      return { test: (r) => !inner(r) };
    }
    const def = model.fields[field];
    const exact = (r: Row) => (def?.kind === "ip" || def?.kind === "cidr" ? strs.some((s) => sameIp(text(r), s)) : strs.includes(text(r)));
    if (lookup === "n") return { test: (r) => !exact(r) };
    const candidates = table.hasValueIndex(field) && def?.kind !== "ip" && def?.kind !== "cidr" ? unionOf(strs.map((s) => table.byValue(field, s))) : null;
    return { candidates, test: exact };
  }

  /** Filters a model's rows by the query; returns matching ids in the requested (or default, or given) order. */
  filter(model: ModelDef, params: URLSearchParams, orderBy?: string[]): FilterResult {
    const errors: Record<string, string[]> = {};
    const conditions: Condition[] = [];
    const names = new Set(params.keys());
    for (const name of names) {
      if (RESERVED_PARAMS.has(name)) continue;
      const raw = params.getAll(name);
      if (name === "q") {
        const q = raw[raw.length - 1]!.trim().toLowerCase();
        if (q) conditions.push({ test: (r) => model.search.some((f) => String(r[f] ?? "").toLowerCase().includes(q)) });
        continue;
      }
      if (name.startsWith("cf_")) {
        const c = this.customFieldCondition(model, name.slice(3), raw);
        if (c) conditions.push(c);
        continue;
      }
      const [base, lookup = ""] = splitLookup(name);
      const def = model.filters[base];
      if (!def || !filterParams(base, def).includes(name)) continue;
      const values = this.parseValues(def, name, raw, errors, model);
      if (values === null) continue;
      const c = this.condition(model, def, lookup, values);
      if (c) conditions.push(c);
    }
    if (Object.keys(errors).length) return { errors };
    const table = this.db.table(model.ctype);
    const narrowed = conditions.map((c) => c.candidates).filter((s): s is ReadonlySet<number> => s !== null && s !== undefined);
    narrowed.sort((a, b) => a.size - b.size);
    const matched: Row[] = [];
    for (const id of narrowed[0] ?? table.rows.keys()) {
      const row = table.rows.get(id);
      if (row && conditions.every((c) => c.test(row))) matched.push(row);
    }
    const ordering = orderBy ?? this.ordering(model, params.get("ordering"));
    const compare = this.comparator(model, ordering);
    if (matched.length === table.rows.size && conditions.length === 0) return { ids: table.sorted(ordering.join(","), compare) };
    return { ids: matched.sort(compare).map((r) => r.id) };
  }

  private customFieldCondition(model: ModelDef, spec: string, raw: string[]): Condition | null {
    const [name, lookup = ""] = splitLookup(spec);
    const cf = customFieldsFor(this.db, model.ctype).find((c) => c.name === name);
    if (!cf || cf.filterLogic === "disabled") return null;
    return {
      test: (r) => {
        const stored = (r.custom_fields as Record<string, unknown>)?.[name] ?? null;
        return lookup === "n" ? raw.every((v) => cfMatches(cf, stored, "n", v)) : raw.some((v) => cfMatches(cf, stored, lookup, v));
      },
    };
  }

  /** The ordering in effect: `?ordering=` (unknown fields dropped, like DRF) or the model's default; id last. */
  ordering(model: ModelDef, param: string | null): string[] {
    const sortable = (f: string) => {
      const def = model.fields[f.replace(/^-/, "")];
      return def !== undefined && !["tags", "custom_fields", "m2m", "gfk", "computed", "ctypes", "strs", "json"].includes(def.kind) && (!def.since || atLeast(this.db.version, def.since));
    };
    const requested = param ? param.split(",").map((s) => s.trim()).filter((s) => s && sortable(s)) : [];
    const fields = requested.length ? requested : [...model.ordering];
    if (!fields.some((f) => f.replace(/^-/, "") === "id")) fields.push("id");
    return fields;
  }

  comparator(model: ModelDef, ordering: readonly string[]): (a: Row, b: Row) => number {
    const keys = ordering.map((spec) => {
      const desc = spec.startsWith("-");
      const field = desc ? spec.slice(1) : spec;
      return { field, desc, kind: model.fields[field]?.kind ?? "int" };
    });
    return (a, b) => {
      for (const { field, desc, kind } of keys) {
        const c = compareValues(a, b, field, kind);
        if (c !== 0) return desc ? -c : c;
      }
      return 0;
    };
  }
}

function compareValues(a: Row, b: Row, field: string, kind: string): number {
  const x = a[field];
  const y = b[field];
  if (x === y) return 0;
  // PostgreSQL sorts NULLs last in ascending order.
  if (x === null || x === undefined) return 1;
  if (y === null || y === undefined) return -1;
  if (kind === "ip" || kind === "cidr") {
    const kx = ipSortKey(a, field);
    const ky = ipSortKey(b, field);
    return kx < ky ? -1 : kx > ky ? 1 : 0;
  }
  if (typeof x === "number" && typeof y === "number") return x - y;
  if (typeof x === "boolean" && typeof y === "boolean") return x ? 1 : -1;
  const nx = naturalKey(a, field);
  const ny = naturalKey(b, field);
  return nx < ny ? -1 : nx > ny ? 1 : 0;
}

/** Family, host and mask as one fixed-width string, memoised per (immutable) row. */
function ipSortKey(row: Row, field: string): string {
  let m = naturalCache.get(row);
  if (!m) naturalCache.set(row, (m = new Map()));
  const cacheKey = `ip:${field}`;
  let key = m.get(cacheKey);
  if (key === undefined) {
    const ip = parseIp(String(row[field]));
    key = ip ? `${hostKey(ip.family, ip.host)}/${String(ip.length).padStart(3, "0")}` : "";
    m.set(cacheKey, key);
  }
  return key;
}

function sameIp(stored: string, wanted: string): boolean {
  const a = parseIp(stored);
  const b = parseIp(wanted);
  if (!a || !b) return stored === wanted;
  // `address=10.0.0.1` matches any mask; `address=10.0.0.1/24` only that one.
  return a.family === b.family && a.host === b.host && (!wanted.includes("/") || a.length === b.length);
}

function splitLookup(name: string): [string, string] {
  const i = name.lastIndexOf("__");
  if (i < 0) return [name, ""];
  return [name.slice(0, i), name.slice(i + 2)];
}

function unionOf(sets: ReadonlySet<number>[]): ReadonlySet<number> {
  if (sets.length === 1) return sets[0]!;
  const out = new Set<number>();
  for (const s of sets) for (const id of s) out.add(id);
  return out;
}
