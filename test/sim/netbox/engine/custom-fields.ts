/**
 * Custom fields as NetBox applies them: the definitions for an object type come from the `extras.customfield`
 * rows (ordered by group, weight, name), values are validated per type with NetBox's messages, and filters
 * follow each field's `filter_logic`.
 */
import type { Database } from "./db";
import type { Row } from "./types";

export interface CustomFieldDef {
  id: number;
  name: string;
  type: string;
  required: boolean;
  unique: boolean;
  default: unknown;
  filterLogic: "disabled" | "loose" | "exact";
  relatedObjectType: string | null;
  validationMinimum: number | null;
  validationMaximum: number | null;
  validationRegex: string;
}

const cache = new WeakMap<Database, { version: number; byType: Map<string, CustomFieldDef[]> }>();

export function customFieldsFor(db: Database, ctype: string): CustomFieldDef[] {
  const table = db.table("extras.customfield");
  let entry = cache.get(db);
  if (!entry || entry.version !== table.version) {
    const byType = new Map<string, CustomFieldDef[]>();
    const rows = [...table.rows.values()].sort(
      (a, b) =>
        String(a.group_name).localeCompare(String(b.group_name)) ||
        (a.weight as number) - (b.weight as number) ||
        String(a.name).localeCompare(String(b.name)),
    );
    for (const row of rows) {
      const def = toDef(row);
      for (const t of row.object_types as string[]) {
        let list = byType.get(t);
        if (!list) byType.set(t, (list = []));
        list.push(def);
      }
    }
    entry = { version: table.version, byType };
    cache.set(db, entry);
  }
  return entry.byType.get(ctype) ?? [];
}

function toDef(row: Row): CustomFieldDef {
  return {
    id: row.id,
    name: row.name as string,
    type: row.type as string,
    required: row.required as boolean,
    unique: row.unique as boolean,
    default: row.default,
    filterLogic: row.filter_logic as CustomFieldDef["filterLogic"],
    relatedObjectType: row.related_object_type as string | null,
    validationMinimum: row.validation_minimum as number | null,
    validationMaximum: row.validation_maximum as number | null,
    validationRegex: row.validation_regex as string,
  };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** NetBox's `CustomField.validate()`: null means valid, else the message. */
export function cfValueError(cf: CustomFieldDef, value: unknown): string | null {
  if (value === null || value === "") return cf.required ? "Required field cannot be empty." : null;
  const regex = cf.validationRegex ? new RegExp(cf.validationRegex) : null;
  switch (cf.type) {
    case "text":
    case "longtext":
    case "url":
      if (typeof value !== "string") return "Value must be a string.";
      if (regex && !regex.test(value)) return `Value must match regex '${cf.validationRegex}'`;
      return null;
    case "integer":
    case "decimal":
      if (cf.type === "integer" ? !Number.isInteger(value) : typeof value !== "number") return cf.type === "integer" ? "Value must be an integer." : "Value must be a decimal.";
      if (cf.validationMinimum !== null && (value as number) < cf.validationMinimum) return `Value must be at least ${cf.validationMinimum}`;
      if (cf.validationMaximum !== null && (value as number) > cf.validationMaximum) return `Value must not exceed ${cf.validationMaximum}`;
      return null;
    case "boolean":
      return value === true || value === false || value === 1 || value === 0 ? null : "Value must be true or false.";
    case "date":
      return typeof value === "string" && ISO_DATE.test(value) ? null : "Date values must be in ISO 8601 format (YYYY-MM-DD).";
    case "datetime":
      return typeof value === "string" && ISO_DATETIME.test(value) ? null : "Date and time values must be in ISO 8601 format (YYYY-MM-DD HH:MM:SS).";
    case "object":
      if (!Number.isInteger(value)) return `Value must be an object ID, not ${pythonType(value)}`;
      return null;
    case "multiobject":
      if (!Array.isArray(value)) return `Value must be a list of object IDs, not ${pythonType(value)}`;
      for (const id of value) if (!Number.isInteger(id)) return `Found invalid object ID: ${String(id)}`;
      return null;
    default:
      return null;
  }
}

export function pythonType(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return "dict";
}

/** Does a stored value match a `cf_<name>[__lookup]` filter value? */
export function cfMatches(cf: CustomFieldDef, stored: unknown, lookup: string, wanted: string): boolean {
  const isNumeric = cf.type === "integer" || cf.type === "decimal";
  if (lookup === "empty") {
    const empty = stored === null || stored === undefined || stored === "";
    return wanted.toLowerCase() === "true" ? empty : !empty;
  }
  if (stored === null || stored === undefined) return lookup === "n";
  if (isNumeric && ["gt", "gte", "lt", "lte"].includes(lookup)) {
    const a = Number(stored);
    const b = Number(wanted);
    return lookup === "gt" ? a > b : lookup === "gte" ? a >= b : lookup === "lt" ? a < b : a <= b;
  }
  const text = typeof stored === "boolean" ? (stored ? "true" : "false") : String(stored);
  const loose = cf.filterLogic === "loose" && (cf.type === "text" || cf.type === "longtext" || cf.type === "url");
  let equal: boolean;
  if (lookup === "ic" || lookup === "nic" || (loose && lookup === "")) equal = text.toLowerCase().includes(wanted.toLowerCase());
  else if (lookup === "ie") equal = text.toLowerCase() === wanted.toLowerCase();
  else if (isNumeric) equal = Number(stored) === Number(wanted);
  else if (typeof stored === "boolean") equal = text === wanted.toLowerCase() || (wanted === "1" && stored) || (wanted === "0" && !stored);
  else equal = text === wanted;
  if (lookup === "n" || lookup === "nic") return !equal;
  return equal;
}
