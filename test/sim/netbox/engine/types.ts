/**
 * Declarative model definitions for the NetBox simulator's generic engine. A model is its fields (in serializer
 * order, with NetBox's types, defaults and write rules), its brief fields, filters, ordering, constraints and a
 * few hooks for model-specific `clean()` logic; storage, indices, serialisation, filtering and writes are generic.
 */
import type { NetboxVersion } from "../version";

/** A stored object: `id` plus one key per stored field (FKs as ids, choices as raw values, tags as tag ids). */
export interface Row {
  id: number;
  [field: string]: unknown;
}

export type Choice = readonly [value: string | number, label: string];

export type OnDelete = "protect" | "cascade" | "set_null";

interface FieldCommon {
  /** Required on create and on full (PUT) updates. */
  required?: boolean;
  nullable?: boolean;
  readOnly?: boolean;
  /** Accepted on write, never rendered (e.g. secrets). */
  writeOnly?: boolean;
  /** Stored when the field is omitted on create (a function for fresh objects/arrays). */
  default?: unknown;
  /** First NetBox version whose API has the field. */
  since?: NetboxVersion;
  /** Django verbose name, used in uniqueness messages (default: the field name with spaces). */
  label?: string;
  /** Single-field uniqueness, reported like DRF's UniqueValidator. */
  unique?: boolean;
  /** Keep an exact-value index so equality filters and unique checks are O(1). */
  indexed?: boolean;
}

export type FieldDef =
  /** A string; with `choices` it is DRF's plain ChoiceField (rendered as the bare value). */
  | (FieldCommon & { kind: "str"; maxLength?: number; blank?: boolean; format?: "slug" | "color" | "url"; choices?: readonly string[] })
  | (FieldCommon & { kind: "int"; min?: number; max?: number })
  | (FieldCommon & { kind: "num"; min?: number; max?: number })
  | (FieldCommon & { kind: "bool" })
  | (FieldCommon & { kind: "choice"; choices: readonly Choice[]; blank?: boolean })
  /** A foreign key; written as an id or a dict of attributes, rendered as the target's brief representation. */
  | (FieldCommon & { kind: "fk"; to: string; onDelete: OnDelete; render?: readonly string[]; renderWith?: (target: Row, ctx: RenderContext) => Record<string, unknown> })
  /** Many-to-many written as a list of primary keys (SerializedPKRelatedField), rendered brief. */
  | (FieldCommon & { kind: "m2m"; to: string })
  | (FieldCommon & { kind: "tags" })
  | (FieldCommon & { kind: "custom_fields" })
  | (FieldCommon & { kind: "json" })
  /** One content type as `app.model` (ContentTypeField). */
  | (FieldCommon & { kind: "ctype"; allowed?: readonly string[] })
  /** A list of content types (`object_types`). */
  | (FieldCommon & { kind: "ctypes" })
  | (FieldCommon & { kind: "strs"; choices?: readonly string[] })
  /** Read-only nested object of a generic foreign key. */
  | (FieldCommon & { kind: "gfk"; typeField: string; idField: string })
  | (FieldCommon & { kind: "ip" })
  | (FieldCommon & { kind: "cidr" })
  | (FieldCommon & { kind: "mac" })
  | (FieldCommon & { kind: "datetime" })
  /** A related-object count; `nested` says what a nested (brief) rendering shows: nothing, or DRF's default 0. */
  | (FieldCommon & { kind: "count"; count: (row: Row, db: DbView) => number; nested: "omit" | "zero" })
  | (FieldCommon & { kind: "computed"; compute: (row: Row, db: DbView, render: ComputeContext) => unknown })
  | (FieldCommon & { kind: "timestamp" });

export type FieldKind = FieldDef["kind"];

/** Filter declarations: each produces one or more accepted query parameters (with NetBox's lookups). */
export type FilterDef =
  /** Exact/lookup filter on a stored string, number or choice field. */
  | { kind: "value"; field: string; type: "str" | "int" | "num" | "choice" | "bool" | "datetime"; lookups?: boolean | readonly string[] }
  /** `<fk>_id` filter (ModelMultipleChoiceFilter: unknown ids are a 400, like NetBox; `validate:false` for MultiValueNumberFilter). */
  | { kind: "fk_id"; field: string; validate?: boolean; negate?: boolean }
  /** `<fk>` filter by the target's slug or name. */
  | { kind: "fk_attr"; field: string; attr: string; negate?: boolean }
  | { kind: "tag" }
  /** A custom predicate for filters that follow a relation (e.g. `virtual_machine_id` on IP addresses). */
  | { kind: "custom"; type: "int" | "str" | "bool"; validateModel?: string; match: (row: Row, values: readonly (string | number | boolean)[], db: DbView) => boolean; candidates?: (values: readonly (string | number | boolean)[], db: DbView) => Iterable<number> | null };

export interface UniqueConstraint {
  /** Fields compared; `lower(name)` compares case-insensitively. */
  fields: readonly string[];
  /** Only rows matching the condition take part (Django's `condition=Q(...)`). */
  condition?: (row: Row) => boolean;
  message: string;
  /** Reported under this key (default `__all__`). */
  errorKey?: string;
}

export interface GenericFkDef {
  typeField: string;
  idField: string;
  /** Content types that may be assigned; others are a validation error. */
  allowed: readonly string[];
  required: boolean;
  onDelete: "cascade" | "set_null";
}

export type ValidationErrors = Record<string, unknown>;

export interface CleanContext {
  db: DbView;
  /** The stored row before this write, or null on create. */
  before: Row | null;
  /** Field names present in the request body. */
  given: ReadonlySet<string>;
  version: NetboxVersion;
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ModelDef {
  /** Content type `app_label.model`, e.g. `virtualization.virtualmachine`. */
  ctype: string;
  /** Path below `/api/` without slashes, e.g. `virtualization/virtual-machines`. */
  path: string;
  /** Django `object_name` (404 messages). */
  objectName: string;
  /** Django `verbose_name` (uniqueness messages). */
  verboseName: string;
  fields: Record<string, FieldDef>;
  brief: readonly string[];
  display: (row: Row, db: DbView) => string;
  /** Default ordering: field names, `-` for descending; `id` ends every ordering. */
  ordering: readonly string[];
  filters: Record<string, FilterDef>;
  /** Fields searched by `q` (case-insensitive contains). */
  search: readonly string[];
  constraints?: readonly UniqueConstraint[];
  genericFks?: readonly GenericFkDef[];
  /** Model `clean()`: runs after field validation on the merged row; may also normalise the row. */
  clean?: (row: Row, ctx: CleanContext) => ValidationErrors | null;
  /** Model `save()` side effects on the row before it is stored (e.g. derived fields). */
  beforeSave?: (row: Row, ctx: CleanContext) => void;
  /** Django signal receivers: side effects after a save or delete (e.g. a VM's disk total from its disks). */
  afterChange?: (before: Row | null, after: Row | null, db: DbWriter) => void;
  /** One sorted index of big integers per group (an IP address's host per VRF and family), for gap searches. */
  orderedIndex?: { group: (row: Row) => string | null; value: (row: Row) => bigint | null };
  /** Internal row keys (prefixed `_`, never rendered) that get an exact-value index, e.g. an IP's host key. */
  hiddenIndexes?: readonly string[];
  since?: NetboxVersion;
  methods?: readonly Method[];
  /** Taggable, has custom fields, raises events (NetBoxModel features). */
  features: { tags: boolean; customFields: boolean; events: boolean };
}

/** Read access to the whole database, handed to hooks, counts and filters. */
export interface DbView {
  has(ctype: string): boolean;
  model(key: string): ModelDef;
  get(ctypeOrPath: string, id: number): Row | undefined;
  /** Ids of rows of `ctype` whose FK `field` points at `target`. */
  referrers(ctype: string, field: string, target: number): ReadonlySet<number>;
  /** Ids of rows of `ctype` whose generic FK points at `targetCtype:targetId`. */
  genericReferrers(ctype: string, typeField: string, targetCtype: string, targetId: number): ReadonlySet<number>;
  /** Ids of rows of `ctype` whose m2m `field` contains `target`. */
  m2mReferrers(ctype: string, field: string, target: number): ReadonlySet<number>;
  /** Ids of rows whose indexed `field` equals `value`. */
  byValue(ctype: string, field: string, value: unknown): ReadonlySet<number>;
  rows(ctype: string): Iterable<Row>;
  count(ctype: string): number;
  version: NetboxVersion;
}

/** What signal receivers may do: update rows the way `QuerySet.update()` does (no signals, no timestamps). */
export interface DbWriter extends DbView {
  updateSilently(ctype: string, id: number, patch: Record<string, unknown>): void;
}

/** How a response is rendered: absolute URLs need the request's origin; webhook payloads use relative ones. */
export interface RenderContext {
  origin: string;
  version: NetboxVersion;
}

/** What a computed field may use to render: the context plus the serializer's nested rendering of a related row. */
export interface ComputeContext extends RenderContext {
  nest(ctype: string, id: unknown, fields?: readonly string[]): Record<string, unknown> | null;
}
