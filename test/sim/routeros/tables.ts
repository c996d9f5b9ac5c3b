/**
 * A configuration table (`/ip/address`, `/ip/firewall/filter`, …): records keyed by `*id`, with declared fields
 * that say what `add`/`set` accept, how values are checked and which of them the export prints.
 */
import { invalidValue, missingArgument, unknownParameter } from "./errors";
import { parseBool } from "./formats";
import type { Row } from "./query";
import type { Args } from "./request-json";

export interface FieldSpec {
  /** Accepted by add/set; other fields are only printed. */
  writable?: boolean;
  required?: boolean;
  /** Printed when unset; the export leaves out values equal to it. */
  default?: string;
  bool?: boolean;
  /** Only users with the `sensitive` policy see it, and the export only with `show-sensitive`. */
  sensitive?: boolean;
  /** Checks and normalises a value; throws the RouterOS error for a bad one. */
  parse?: (value: string, name: string) => string;
  /** An interface name: follows renames. */
  interfaceRef?: boolean;
  /** Printed by the export even when it equals the default (RouterOS does so for e.g. a WireGuard `mtu`). */
  exportAlways?: boolean;
}

/** Completes a record after add/set: `changed` holds the values just written, `created` is true on add. */
export type OnWrite = (row: Row, changed: Row, created: boolean) => void;

export type Fields = Record<string, FieldSpec>;

export function formatId(n: number): string {
  return `*${n.toString(16).toUpperCase()}`;
}

/** Validates add/set arguments against the declared fields. */
export function checkArgs(fields: Fields, args: Args, adding: boolean): Row {
  const out: Row = {};
  for (const [name, value] of args) {
    const spec = fields[name];
    if (!spec?.writable) throw unknownParameter(name);
    out[name] = spec.bool ? parseBool(name, value) : spec.parse ? spec.parse(value, name) : value;
  }
  if (adding) {
    for (const [name, spec] of Object.entries(fields)) if (spec.required && out[name] === undefined) throw missingArgument(name);
  }
  return out;
}

export class RecordTable {
  private readonly rows = new Map<string, Row>();
  private seq = 0;

  constructor(
    readonly fields: Fields,
    /** Adds derived fields (`network`, `invalid`, …) to a stored record when it is printed. */
    private readonly derive: (row: Row) => Row = (row) => row,
    /** Fills in values that follow from others (`network` from `address`, `creation-time`). */
    private readonly onWrite: OnWrite = () => {},
  ) {}

  /** Inserts trusted values (scenario data); returns the stored record. */
  insert(values: Row): Row {
    const row: Row = { ".id": formatId(++this.seq), ...values };
    this.onWrite(row, values, true);
    this.rows.set(row[".id"]!, row);
    return row;
  }

  add(args: Args, validate?: (row: Row) => void): Row {
    const values = checkArgs(this.fields, args, true);
    validate?.(values);
    return this.insert(values);
  }

  set(id: string, args: Args, validate?: (row: Row) => void): Row | undefined {
    const row = this.rows.get(id);
    if (!row) return undefined;
    const values = checkArgs(this.fields, args, false);
    const next = { ...row, ...values };
    validate?.(next);
    Object.assign(row, values);
    this.onWrite(row, values, false);
    return row;
  }

  remove(id: string): boolean {
    return this.rows.delete(id);
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** Stored records, in the order they were added. */
  stored(): IterableIterator<Row> {
    return this.rows.values();
  }

  /** The printed form of a record: defaults filled in, derived fields added, sensitive ones only if allowed. */
  render(row: Row, sensitive: boolean): Row {
    return this.derive({ ".id": row[".id"]!, ...renderFields(this.fields, row, sensitive) });
  }

  list(sensitive: boolean): Row[] {
    return [...this.rows.values()].map((row) => this.render(row, sensitive));
  }

  get size(): number {
    return this.rows.size;
  }

  /** Rewrites interface references after a rename. */
  renameInterface(from: string, to: string): void {
    const refs = Object.entries(this.fields).filter(([, spec]) => spec.interfaceRef).map(([name]) => name);
    if (refs.length === 0) return;
    for (const row of this.rows.values()) for (const name of refs) if (row[name] === from) row[name] = to;
  }
}

/** Declared fields of a record as printed: stored value or default, sensitive ones only if allowed. */
export function renderFields(fields: Fields, values: Row, sensitive: boolean): Row {
  const out: Row = {};
  for (const [name, spec] of Object.entries(fields)) {
    if (spec.sensitive && !sensitive) continue;
    const value = values[name] ?? spec.default;
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** A singleton settings menu (`/ip/dns`, `/system/identity`): one record changed with `set`. */
export class Settings {
  constructor(
    readonly fields: Fields,
    readonly values: Row,
  ) {}

  set(args: Args): void {
    Object.assign(this.values, checkArgs(this.fields, args, false));
  }

  render(sensitive: boolean): Row {
    return renderFields(this.fields, this.values, sensitive);
  }
}

/** Common value checks for field declarations. */
export const intIn =
  (min: number, max: number) =>
  (value: string, name: string): string => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw invalidValue(name);
    return String(Number(value));
  };

export const oneOf =
  (...allowed: string[]) =>
  (value: string, name: string): string => {
    if (!allowed.includes(value)) throw invalidValue(name);
    return value;
  };
