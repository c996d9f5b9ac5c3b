/** Short constructors for field definitions, so a model reads like its NetBox serializer. */
import type { Choice, ComputeContext, DbView, FieldDef, OnDelete, RenderContext, Row } from "./types";

type Extra = Partial<{
  required: boolean;
  nullable: boolean;
  readOnly: boolean;
  default: unknown;
  since: "4.2" | "4.4" | "4.5" | "4.6";
  label: string;
  unique: boolean;
  indexed: boolean;
  blank: boolean;
}>;

export const str = (maxLength: number | undefined, extra: Extra = {}): FieldDef => ({ kind: "str", maxLength, blank: true, default: extra.nullable ? null : "", ...extra });
/** A required name-like string (indexed for exact filters). */
export const name = (maxLength = 100, extra: Extra = {}): FieldDef => ({ kind: "str", maxLength, required: true, indexed: true, ...extra });
export const slug = (maxLength = 100, extra: Extra = {}): FieldDef => ({ kind: "str", maxLength, required: true, format: "slug", indexed: true, ...extra });
export const text = (extra: Extra = {}): FieldDef => ({ kind: "str", blank: true, default: extra.nullable ? null : "", ...extra });
export const description = (): FieldDef => str(200);
export const color = (): FieldDef => ({ kind: "str", maxLength: 6, blank: true, default: "9e9e9e", format: "color" });
export const int = (extra: Extra & { min?: number; max?: number } = {}): FieldDef => ({ kind: "int", nullable: true, default: null, ...extra });
export const num = (extra: Extra & { min?: number; max?: number } = {}): FieldDef => ({ kind: "num", nullable: true, default: null, ...extra });
export const bool = (value: boolean, extra: Extra = {}): FieldDef => ({ kind: "bool", default: value, ...extra });
export const choice = (choices: readonly Choice[], extra: Extra = {}): FieldDef => ({ kind: "choice", choices, ...extra });
export const fk = (to: string, onDelete: OnDelete, extra: Extra & { render?: readonly string[]; renderWith?: (target: Row, ctx: RenderContext) => Record<string, unknown> } = {}): FieldDef => ({
  kind: "fk",
  to,
  onDelete,
  nullable: !extra.required,
  default: null,
  ...extra,
});
export const m2m = (to: string): FieldDef => ({ kind: "m2m", to, default: () => [] });
export const json = (extra: Extra = {}): FieldDef => ({ kind: "json", nullable: true, default: null, ...extra });
export const ctype = (extra: Extra & { allowed?: readonly string[] } = {}): FieldDef => ({ kind: "ctype", nullable: true, default: null, ...extra });
export const ctypes = (extra: Extra = {}): FieldDef => ({ kind: "ctypes", default: () => [], ...extra });
export const strs = (choices?: readonly string[], extra: Extra = {}): FieldDef => ({ kind: "strs", choices, default: () => [], ...extra });
export const gfk = (typeField: string, idField: string): FieldDef => ({ kind: "gfk", typeField, idField, readOnly: true });
export const datetime = (extra: Extra = {}): FieldDef => ({ kind: "datetime", nullable: true, default: null, ...extra });
export const ip = (extra: Extra = {}): FieldDef => ({ kind: "ip", required: true, indexed: true, ...extra });
export const cidr = (extra: Extra = {}): FieldDef => ({ kind: "cidr", required: true, indexed: true, ...extra });
export const mac = (extra: Extra = {}): FieldDef => ({ kind: "mac", required: true, indexed: true, ...extra });
export const computed = (compute: (row: Row, db: DbView, ctx: ComputeContext) => unknown, extra: Extra = {}): FieldDef => ({ kind: "computed", compute, readOnly: true, ...extra });

/** A related-object count read from the FK index of `ctype.field` (RelatedObjectCountField: omitted when nested). */
export const countOf = (ctype: string, field: string, nested: "omit" | "zero" = "omit"): FieldDef => ({
  kind: "count",
  readOnly: true,
  nested,
  count: (row, db) => db.referrers(ctype, field, row.id).size,
});

/** The fields every NetBox primary model ends with: owner (4.5+), comments, tags, custom fields, timestamps. */
export function primaryTail(options: { comments?: boolean; owner?: boolean } = {}): Record<string, FieldDef> {
  return {
    ...(options.owner === false ? {} : { owner: fk("users.owner", "protect", { since: "4.5" }) }),
    ...(options.comments === false ? {} : { comments: text() }),
    tags: { kind: "tags", default: () => [] },
    custom_fields: { kind: "custom_fields", default: () => ({}) },
    created: { kind: "timestamp", readOnly: true },
    last_updated: { kind: "timestamp", readOnly: true },
  };
}

/** Every API object starts with these; the serializer fills `url`, `display_url` and `display` from the model. */
export const head = (): Record<string, FieldDef> => ({
  id: { kind: "int", readOnly: true },
  url: { kind: "computed", readOnly: true, compute: () => null },
  display_url: { kind: "computed", readOnly: true, compute: () => null },
  display: { kind: "computed", readOnly: true, compute: () => null },
});
