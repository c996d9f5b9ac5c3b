/**
 * One model's rows with the indices the engine needs to stay O(1) per object at 10,000+ rows: reverse indices
 * per foreign key, generic foreign key and many-to-many field (for filters, counts and delete protection),
 * exact-value indices for `indexed` fields, and one index per unique constraint.
 */
import type { ModelDef, Row, UniqueConstraint } from "./types";

type Index<K> = Map<K, Set<number>>;

function add<K>(index: Index<K>, key: K, id: number): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(id);
}

function drop<K>(index: Index<K>, key: K, id: number): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) index.delete(key);
}

const EMPTY: ReadonlySet<number> = new Set();

/** The value an exact-match index stores: strings as-is, numbers and booleans as text, null as a marker. */
export const valueKey = (value: unknown): string => (value === null || value === undefined ? "\u0000null" : typeof value === "string" ? value : String(value));

/** The key of a unique constraint for a row, or null when the row does not take part (a NULL or failed condition). */
export function constraintKey(constraint: UniqueConstraint, row: Row): string | null {
  if (constraint.condition && !constraint.condition(row)) return null;
  const parts: string[] = [];
  for (const spec of constraint.fields) {
    const lower = spec.startsWith("lower(");
    const field = lower ? spec.slice(6, -1) : spec;
    const value = row[field];
    if (value === null || value === undefined) return null;
    parts.push(lower ? String(value).toLowerCase() : valueKey(value));
  }
  return parts.join("\u0001");
}

export class Table {
  readonly rows = new Map<number, Row>();
  nextId = 1;
  /** Bumped on every change; caches of sorted ids compare against it. */
  version = 0;
  private readonly fkIndex = new Map<string, Index<number>>();
  private readonly m2mIndex = new Map<string, Index<number>>();
  private readonly gfkIndex = new Map<string, Index<string>>();
  private readonly valueIndex = new Map<string, Index<string>>();
  private readonly uniqueIndex: Array<Index<string>>;
  private sortCache = new Map<string, { version: number; ids: number[] }>();
  private readonly ordered = new Map<string, bigint[]>();

  constructor(readonly model: ModelDef) {
    for (const [name, def] of Object.entries(model.fields)) {
      if (def.kind === "fk") this.fkIndex.set(name, new Map());
      if (def.kind === "m2m" || def.kind === "tags") this.m2mIndex.set(name, new Map());
      if (def.indexed || def.unique) this.valueIndex.set(name, new Map());
    }
    for (const field of model.hiddenIndexes ?? []) this.valueIndex.set(field, new Map());
    for (const g of model.genericFks ?? []) this.gfkIndex.set(g.typeField, new Map());
    this.uniqueIndex = (model.constraints ?? []).map(() => new Map());
  }

  private index(row: Row, on: boolean): void {
    const put = on ? add : drop;
    for (const [field, idx] of this.fkIndex) {
      const target = row[field];
      if (typeof target === "number") put(idx, target, row.id);
    }
    for (const [field, idx] of this.m2mIndex) {
      for (const target of (row[field] as number[] | undefined) ?? []) put(idx, target, row.id);
    }
    for (const g of this.model.genericFks ?? []) {
      const type = row[g.typeField];
      const id = row[g.idField];
      if (typeof type === "string" && typeof id === "number") put(this.gfkIndex.get(g.typeField)!, `${type}:${id}`, row.id);
    }
    for (const [field, idx] of this.valueIndex) put(idx, valueKey(row[field]), row.id);
    (this.model.constraints ?? []).forEach((c, i) => {
      const key = constraintKey(c, row);
      if (key !== null) put(this.uniqueIndex[i]!, key, row.id);
    });
    const oi = this.model.orderedIndex;
    if (oi) {
      const group = oi.group(row);
      const value = oi.value(row);
      if (group !== null && value !== null) {
        let list = this.ordered.get(group);
        if (!list) this.ordered.set(group, (list = []));
        const at = lowerBound(list, value);
        if (on) list.splice(at, 0, value);
        else if (list[at] === value) list.splice(at, 1);
      }
    }
  }

  /** The sorted values of one group of the model's ordered index (shared; do not modify). */
  orderedValues(group: string): readonly bigint[] {
    return this.ordered.get(group) ?? [];
  }

  insert(row: Row): void {
    this.rows.set(row.id, row);
    this.nextId = Math.max(this.nextId, row.id + 1);
    this.index(row, true);
    this.version++;
  }

  replace(before: Row, after: Row): void {
    this.index(before, false);
    this.rows.set(after.id, after);
    this.index(after, true);
    this.version++;
  }

  remove(row: Row): void {
    this.index(row, false);
    this.rows.delete(row.id);
    this.version++;
  }

  referrers(field: string, target: number): ReadonlySet<number> {
    return this.fkIndex.get(field)?.get(target) ?? EMPTY;
  }

  m2mReferrers(field: string, target: number): ReadonlySet<number> {
    return this.m2mIndex.get(field)?.get(target) ?? EMPTY;
  }

  genericReferrers(typeField: string, ctype: string, id: number): ReadonlySet<number> {
    return this.gfkIndex.get(typeField)?.get(`${ctype}:${id}`) ?? EMPTY;
  }

  hasValueIndex(field: string): boolean {
    return this.valueIndex.has(field);
  }

  byValue(field: string, value: unknown): ReadonlySet<number> {
    const idx = this.valueIndex.get(field);
    if (!idx) throw new Error(`${this.model.ctype}.${field} has no value index`);
    return idx.get(valueKey(value)) ?? EMPTY;
  }

  /** Ids of other rows that share `row`'s key for constraint `i`. */
  uniqueConflicts(i: number, row: Row): number[] {
    const key = constraintKey(this.model.constraints![i]!, row);
    if (key === null) return [];
    return [...(this.uniqueIndex[i]!.get(key) ?? EMPTY)].filter((id) => id !== row.id);
  }

  /** All ids sorted by `compare`, cached until the table changes. */
  sorted(cacheKey: string, compare: (a: Row, b: Row) => number): number[] {
    const hit = this.sortCache.get(cacheKey);
    if (hit && hit.version === this.version) return hit.ids;
    const ids = [...this.rows.values()].sort(compare).map((r) => r.id);
    this.sortCache.set(cacheKey, { version: this.version, ids });
    return ids;
  }
}

/** The first position in a sorted list whose value is ≥ `value`. */
export function lowerBound(list: readonly bigint[], value: bigint): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
