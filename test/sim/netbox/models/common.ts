/** Filter helpers shared by the model definitions (names and lookups as NetBox's filtersets declare them). */
import type { FilterDef, Row } from "../engine/types";

export const str = (field: string, lookups?: boolean | readonly string[]): FilterDef => ({ kind: "value", field, type: "str", lookups });
export const int = (field: string, lookups?: boolean | readonly string[]): FilterDef => ({ kind: "value", field, type: "int", lookups });
export const num = (field: string): FilterDef => ({ kind: "value", field, type: "num" });
export const bool = (field: string): FilterDef => ({ kind: "value", field, type: "bool" });
export const choice = (field: string, lookups: boolean = true): FilterDef => ({ kind: "value", field, type: "choice", lookups });
export const fkId = (field: string, validate = true): FilterDef => ({ kind: "fk_id", field, validate });
export const fkSlug = (field: string): FilterDef => ({ kind: "fk_attr", field, attr: "slug" });
export const fkName = (field: string): FilterDef => ({ kind: "fk_attr", field, attr: "name" });

/** The case-insensitive lookups NetBox generates for a MAC or time-zone field (no `__empty`). */
export const NO_EMPTY = ["n", "ic", "nic", "ie", "nie", "iew", "niew", "isw", "nisw"];

/** `id`, `created`, `last_updated`, `tag` — every NetBoxModel filterset has them. */
export const baseFilters = (options: { tags?: boolean; created?: boolean } = {}): Record<string, FilterDef> => ({
  id: int("id"),
  ...(options.created === false ? {} : { created: { kind: "value", field: "created", type: "datetime" } }),
  last_updated: { kind: "value", field: "last_updated", type: "datetime" },
  ...(options.tags === false ? {} : { tag: { kind: "tag" } as FilterDef }),
});

/** `name`, `slug`, `description` string filters of organisational models. */
export const nameSlugFilters = (): Record<string, FilterDef> => ({ name: str("name"), slug: str("slug"), description: str("description") });

export const rowName = (row: Row) => String(row.name ?? "");

export const STATUS_LABELS: Record<string, string> = {
  active: "Active",
  offline: "Offline",
  planned: "Planned",
  staged: "Staged",
  staging: "Staging",
  failed: "Failed",
  inventory: "Inventory",
  decommissioning: "Decommissioning",
  retired: "Retired",
  reserved: "Reserved",
  deprecated: "Deprecated",
  container: "Container",
  dhcp: "DHCP",
  slaac: "SLAAC",
  paused: "Paused",
};

export const statusChoices = (...values: string[]) => values.map((v) => [v, STATUS_LABELS[v] ?? v] as const);
