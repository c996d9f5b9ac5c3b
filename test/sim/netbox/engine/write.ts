/**
 * Validation and storage of one object's write, in NetBox's order and with its messages: DRF field parsing
 * (required/null/blank/type/length/choices, related objects by id or attribute dict, unique fields), then the
 * serializer's tag rules, then the model's `full_clean()` (custom fields, `clean()`, unique constraints), then
 * `save()`. Errors come back as the body of a 400 (`{"field": ["msg"]}`).
 */
import { atLeast } from "../version";
import { cfValueError, customFieldsFor, pythonType } from "./custom-fields";
import { Abort, type ChangeSink, type Database } from "./db";
import { serverErrorBody } from "../errors";
import { normalizeMac, parseIp, formatIp, normalizePrefix } from "../ip";
import { pyRepr } from "./python-repr";
import { fieldVisible } from "./serialize";
import { parseDateTime } from "./time";
import type { CleanContext, FieldDef, ModelDef, Row, ValidationErrors } from "./types";

type Parsed = { ok: true; value: unknown } | { ok: false; error: unknown };
const ok = (value: unknown): Parsed => ({ ok: true, value });
const fail = (error: unknown): Parsed => ({ ok: false, error });

const SLUG = /^[-a-zA-Z0-9_]+$/;
const COLOR = /^[0-9a-f]{6}$/;
const URL_RE = /^(https?|ftp):\/\/[^\s/$.?#][^\s]*$/i;

export type Prepared = { row: Row; given: ReadonlySet<string> } | { errors: ValidationErrors };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Fields a client may write (read-only and derived fields are silently ignored, like DRF). */
export function writable(def: FieldDef): boolean {
  if (def.readOnly) return false;
  return !["computed", "count", "gfk", "timestamp"].includes(def.kind);
}

export class Writer {
  constructor(private readonly db: Database) {}

  /** Resolves a related object given as a primary key or a dict of attributes (`get_related_object_by_attrs`). */
  resolveRelated(ctype: string, value: unknown): { id: number } | { error: string } {
    if (isPlainObject(value)) {
      const params = flattenAttrs(value);
      const matches = this.findByAttrs(ctype, params);
      const repr = pyRepr(Object.fromEntries(params));
      if (matches === "bad-field") return { error: `Cannot resolve keyword '${params.find(([k]) => !this.attrPathValid(ctype, k))?.[0] ?? ""}' into field.` };
      if (matches.length === 0) return { error: `Related object not found using the provided attributes: ${repr}` };
      if (matches.length > 1) return { error: `Multiple objects match the provided attributes: ${repr}` };
      return { id: matches[0]! };
    }
    const pk = typeof value === "number" ? value : typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(pk)) {
      return { error: `Related objects must be referenced by numeric ID or by dictionary of attributes. Received an unrecognized value: ${pyStr(value)}` };
    }
    if (!this.db.has(ctype) || !this.db.get(ctype, pk)) return { error: `Related object not found using the provided numeric ID: ${pk}` };
    return { id: pk };
  }

  private attrPathValid(ctype: string, path: string): boolean {
    if (!this.db.has(ctype)) return false;
    const [head, ...rest] = path.split("__");
    if (head === "id") return rest.length === 0;
    const def = this.db.model(ctype).fields[head!];
    if (!def) return false;
    if (rest.length === 0) return true;
    return def.kind === "fk" && this.attrPathValid(def.to, rest.join("__"));
  }

  private findByAttrs(ctype: string, params: Array<[string, unknown]>): number[] | "bad-field" {
    if (!this.db.has(ctype)) return [];
    if (params.some(([k]) => !this.attrPathValid(ctype, k))) return "bad-field";
    const table = this.db.table(ctype);
    const indexed = params.find(([k, v]) => !k.includes("__") && table.hasValueIndex(k) && typeof v !== "object");
    const candidates: Iterable<number> = indexed ? table.byValue(indexed[0], indexed[1]) : table.rows.keys();
    const out: number[] = [];
    for (const id of candidates) {
      const row = table.rows.get(id)!;
      if (params.every(([path, v]) => this.attrMatches(ctype, row, path.split("__"), v))) out.push(id);
    }
    return out;
  }

  private attrMatches(ctype: string, row: Row, path: string[], wanted: unknown): boolean {
    const [head, ...rest] = path;
    if (head === "id") return looseEqual(row.id, wanted);
    const def = this.db.model(ctype).fields[head!]!;
    const stored = row[head!];
    if (rest.length === 0) return looseEqual(stored, wanted);
    if (def.kind !== "fk" || typeof stored !== "number") return false;
    const target = this.db.get(def.to, stored);
    return target !== undefined && this.attrMatches(def.to, target, rest, wanted);
  }

  private parseField(model: ModelDef, def: FieldDef, value: unknown, before: Row | null): Parsed {
    if (value === null) {
      if (def.kind === "choice") value = "";
      else if (def.nullable) return ok(null);
      else if (def.kind === "str" && def.default === null) return ok(null);
      else return fail(["This field may not be null."]);
    }
    switch (def.kind) {
      case "str": {
        if (typeof value !== "string" && typeof value !== "number") return fail(["Not a valid string."]);
        const text = String(value).trim();
        if (text === "" && !def.blank) return fail(["This field may not be blank."]);
        if (def.choices && !(text === "" && def.blank) && !def.choices.includes(text)) return fail([`"${text}" is not a valid choice.`]);
        if (def.maxLength !== undefined && text.length > def.maxLength) return fail([`Ensure this field has no more than ${def.maxLength} characters.`]);
        if (text !== "" && def.format === "slug" && !SLUG.test(text)) return fail(["Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."]);
        if (text !== "" && def.format === "color" && !COLOR.test(text)) return fail(["Enter a valid hexadecimal RGB color code."]);
        if (text !== "" && def.format === "url" && !URL_RE.test(text)) return fail(["Enter a valid URL."]);
        return ok(text);
      }
      case "int": {
        const n = toNumber(value, true);
        if (n === null) return fail(["A valid integer is required."]);
        return bounded(n, def.min, def.max);
      }
      case "num": {
        const n = toNumber(value, false);
        if (n === null) return fail(["A valid number is required."]);
        return bounded(n, def.min, def.max);
      }
      case "bool": {
        const b = toBool(value);
        return b === null ? fail(["Must be a valid boolean."]) : ok(b);
      }
      case "choice":
        return parseChoice(def.choices, def.blank ?? false, value);
      case "fk": {
        const r = this.resolveRelated(def.to, value);
        return "error" in r ? fail([r.error]) : ok(r.id);
      }
      case "m2m": {
        if (!Array.isArray(value)) return fail([`Expected a list of items but got type "${pythonType(value)}".`]);
        const ids: number[] = [];
        for (const item of value) {
          if (typeof item === "boolean" || (typeof item !== "number" && !(typeof item === "string" && /^\d+$/.test(item)))) return fail([`Incorrect type. Expected pk value, received ${pythonType(item)}.`]);
          const pk = Number(item);
          if (!this.db.get(def.to, pk)) return fail([`Invalid pk "${pk}" - object does not exist.`]);
          if (!ids.includes(pk)) ids.push(pk);
        }
        return ok(ids);
      }
      case "tags":
        return this.parseTags(value);
      case "custom_fields":
        return this.parseCustomFields(model, value, before);
      case "json":
        return ok(value);
      case "ctype": {
        if (typeof value !== "string" || value.split(".").length !== 2) return fail(["Invalid value. Specify a content type as '<app_label>.<model_name>'."]);
        if (!this.db.has(value) || (def.allowed && !def.allowed.includes(value))) return fail([`Invalid content type: ${value}`]);
        return ok(value);
      }
      case "ctypes": {
        if (!Array.isArray(value)) return fail([`Expected a list of items but got type "${pythonType(value)}".`]);
        for (const item of value) {
          if (typeof item !== "string" || item.split(".").length !== 2) return fail(["Invalid value. Specify a content type as '<app_label>.<model_name>'."]);
          if (!this.db.has(item)) return fail([`Invalid content type: ${item}`]);
        }
        return ok([...new Set(value as string[])]);
      }
      case "strs": {
        if (!Array.isArray(value)) return fail([`Expected a list of items but got type "${pythonType(value)}".`]);
        const errors: Record<string, string[]> = {};
        value.forEach((item, i) => {
          if (typeof item !== "string") errors[String(i)] = ["Not a valid string."];
          else if (def.choices && !def.choices.includes(item)) errors[String(i)] = [`"${item}" is not a valid choice.`];
        });
        return Object.keys(errors).length ? fail(errors) : ok([...value]);
      }
      case "ip": {
        const parsed = typeof value === "string" ? parseIp(value) : null;
        return parsed ? ok(formatIp(parsed)) : fail([`Invalid IP address format: ${pyStr(value)}`]);
      }
      case "cidr": {
        const parsed = typeof value === "string" ? parseIp(value) : null;
        if (!parsed) return fail([`Invalid IP prefix format: ${pyStr(value)}`]);
        const network = normalizePrefix(parsed);
        if (network.host !== parsed.host) return fail([`${formatIp(parsed)} is not a valid prefix. Did you mean ${formatIp(network)}?`]);
        return ok(formatIp(parsed));
      }
      case "mac": {
        const normal = typeof value === "string" ? normalizeMac(value) : null;
        return normal ? ok(normal) : fail([`Invalid MAC address format: ${pyStr(value)}`]);
      }
      case "datetime": {
        const us = typeof value === "string" ? parseDateTime(value) : null;
        return us === null ? fail(["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]) : ok(us);
      }
      default:
        return ok(value);
    }
  }

  private parseTags(value: unknown): Parsed {
    if (!Array.isArray(value)) return fail({ non_field_errors: [`Expected a list of items but got type "${pythonType(value)}".`] });
    const ids: number[] = [];
    for (const item of value) {
      const r = this.resolveRelated("extras.tag", item);
      if ("error" in r) return fail([r.error]);
      if (!ids.includes(r.id)) ids.push(r.id);
    }
    return ok(ids);
  }

  private parseCustomFields(model: ModelDef, value: unknown, before: Row | null): Parsed {
    if (!isPlainObject(value)) {
      return fail(["Invalid data format. Custom field data must be passed as a dictionary mapping field names to their values."]);
    }
    const defs = new Map(customFieldsFor(this.db, model.ctype).map((cf) => [cf.name, cf]));
    const unknown = Object.keys(value)
      .filter((k) => !defs.has(k))
      .sort();
    if (unknown.length) return fail(Object.fromEntries(unknown.map((k) => [k, `Custom field '${k}' does not exist for this object type.`])));
    const data: Record<string, unknown> = { ...value };
    for (const [k, v] of Object.entries(data)) {
      const cf = defs.get(k)!;
      if (v === null || v === "" || !cf.relatedObjectType) continue;
      if (cf.type === "object" && (isPlainObject(v) || typeof v === "number")) {
        const r = this.resolveRelated(cf.relatedObjectType, v);
        if ("error" in r) return fail([`Unknown related object(s): ${pyRepr(v)}`]);
        data[k] = r.id;
      }
      if (cf.type === "multiobject" && Array.isArray(v)) {
        const ids: number[] = [];
        for (const item of v) {
          const r = this.resolveRelated(cf.relatedObjectType, item);
          if ("error" in r) return fail([`Unknown related object(s): ${pyRepr(v)}`]);
          ids.push(r.id);
        }
        data[k] = ids;
      }
    }
    return ok(before ? { ...(before.custom_fields as Record<string, unknown>), ...data } : data);
  }

  /** Validates `data` for a create (`before` null), a full update or a partial update. */
  prepare(model: ModelDef, data: unknown, before: Row | null, partial: boolean): Prepared {
    const version = this.db.version;
    if (!isPlainObject(data)) return { errors: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonType(data)}.`] } };
    const errors: ValidationErrors = {};
    const values: Record<string, unknown> = {};
    const given = new Set<string>();
    for (const [name, def] of Object.entries(model.fields)) {
      if (!writable(def) || !fieldVisible(def, { version })) continue;
      if (!(name in data)) {
        if (!partial && def.required) errors[name] = ["This field is required."];
        continue;
      }
      given.add(name);
      const parsed = this.parseField(model, def, data[name], before);
      if (!parsed.ok) errors[name] = parsed.error;
      else values[name] = parsed.value;
    }
    for (const [name, value] of Object.entries(values)) {
      const def = model.fields[name]!;
      if (!def.unique || value === null) continue;
      const clash = [...this.db.byValue(model.ctype, name, value)].some((id) => id !== before?.id);
      if (clash) errors[name] = [`${model.verboseName} with this ${def.label ?? name.replace(/_/g, " ")} already exists.`];
    }
    const tagOps = model.features.tags && atLeast(version, "4.6") ? this.tagOperations(data, errors) : null;
    if (Object.keys(errors).length) return { errors };

    if (tagOps) {
      const tagRule = this.tagRules(values.tags as number[] | undefined, tagOps, before);
      if (tagRule) return { errors: tagRule };
    }

    const row: Row = before ? { ...before } : this.defaults(model);
    Object.assign(row, values);
    if (tagOps && (tagOps.add.length || tagOps.remove.length)) {
      const current = (row.tags as number[]).filter((t) => !tagOps.remove.includes(t));
      for (const t of tagOps.add) if (!current.includes(t)) current.push(t);
      row.tags = current;
    }
    const ctx: CleanContext = { db: this.db, before, given, version };
    const cleanErrors = this.fullClean(model, row, ctx);
    if (cleanErrors) return { errors: cleanErrors };
    model.beforeSave?.(row, ctx);
    this.populateCustomFieldDefaults(model, row);
    return { row, given };
  }

  private tagOperations(data: Record<string, unknown>, errors: ValidationErrors): { add: number[]; remove: number[] } {
    const ops = { add: [] as number[], remove: [] as number[] };
    for (const key of ["add_tags", "remove_tags"] as const) {
      if (!(key in data)) continue;
      const parsed = this.parseTags(data[key]);
      if (!parsed.ok) errors[key] = parsed.error;
      else ops[key === "add_tags" ? "add" : "remove"] = parsed.value as number[];
    }
    return ops;
  }

  private tagRules(tags: number[] | undefined, ops: { add: number[]; remove: number[] }, before: Row | null): ValidationErrors | null {
    if (tags?.length && (ops.add.length || ops.remove.length)) return { tags: ['Cannot specify "tags" together with "add_tags" or "remove_tags".'] };
    if (!before && ops.remove.length) return { remove_tags: ['Cannot use "remove_tags" when creating a new object.'] };
    const overlap = ops.add.filter((t) => ops.remove.includes(t));
    if (overlap.length) {
      const names = overlap.map((id) => this.db.get("extras.tag", id)!.name).join(", ");
      return { remove_tags: [`Tags may not be present in both "add_tags" and "remove_tags": ${names}`] };
    }
    return null;
  }

  private defaults(model: ModelDef): Row {
    const row: Row = { id: this.db.nextId(model.ctype) };
    for (const [name, def] of Object.entries(model.fields)) {
      if (name === "id" || !("default" in def)) continue;
      row[name] = typeof def.default === "function" ? (def.default as () => unknown)() : def.default;
    }
    if (model.features.customFields) {
      row.custom_fields = Object.fromEntries(customFieldsFor(this.db, model.ctype).map((cf) => [cf.name, cf.default ?? null]));
    }
    return row;
  }

  /** Django's `full_clean()`: custom fields and `clean()` (first error), merged with every violated constraint. */
  private fullClean(model: ModelDef, row: Row, ctx: CleanContext): ValidationErrors | null {
    const errors: Record<string, string[]> = {};
    const merge = (e: ValidationErrors | null) => {
      for (const [k, v] of Object.entries(e ?? {})) (errors[k] ??= []).push(...(Array.isArray(v) ? (v as string[]) : [String(v)]));
    };
    merge(this.cleanCustomFields(model, row) ?? this.cleanGenericFks(model, row) ?? model.clean?.(row, ctx) ?? null);
    const table = this.db.table(model.ctype);
    (model.constraints ?? []).forEach((c, i) => {
      if (table.uniqueConflicts(i, row).length) merge({ [c.errorKey ?? "__all__"]: [c.message] });
    });
    return Object.keys(errors).length ? errors : null;
  }

  /** `NetBoxModel.clean()`: a generic FK needs both halves, and its object must exist. */
  private cleanGenericFks(model: ModelDef, row: Row): ValidationErrors | null {
    for (const g of model.genericFks ?? []) {
      const type = row[g.typeField];
      const id = row[g.idField];
      if ((type === null || type === undefined) && id !== null && id !== undefined) return { [g.typeField]: ["This field cannot be null."] };
      if ((id === null || id === undefined) && type !== null && type !== undefined) return { [g.idField]: ["This field cannot be null."] };
      if (typeof type === "string" && typeof id === "number" && !this.db.get(type, id)) return { [g.idField]: [`Related object not found using the provided value: ${id}.`] };
    }
    return null;
  }

  private cleanCustomFields(model: ModelDef, row: Row): ValidationErrors | null {
    if (!model.features.customFields) return null;
    const defs = customFieldsFor(this.db, model.ctype);
    const byName = new Map(defs.map((cf) => [cf.name, cf]));
    const data = Object.fromEntries(Object.entries((row.custom_fields as Record<string, unknown>) ?? {}).filter(([k]) => byName.has(k)));
    row.custom_fields = data;
    for (const [name, value] of Object.entries(data)) {
      const cf = byName.get(name)!;
      const error = cfValueError(cf, value);
      if (error) return { __all__: [`Invalid value for custom field '${name}': ${error}`] };
      if (cf.unique && value !== null && value !== "") {
        for (const other of this.db.rows(model.ctype)) {
          if (other.id !== row.id && looseEqual((other.custom_fields as Record<string, unknown>)[name], value)) {
            return { __all__: [`Custom field '${name}' must have a unique value.`] };
          }
        }
      }
    }
    for (const cf of defs) if (cf.required && !(cf.name in data)) return { __all__: [`Missing required custom field '${cf.name}'.`] };
    return null;
  }

  private populateCustomFieldDefaults(model: ModelDef, row: Row): void {
    if (!model.features.customFields) return;
    const data = { ...(row.custom_fields as Record<string, unknown>) };
    for (const cf of customFieldsFor(this.db, model.ctype)) if (!(cf.name in data) && cf.default !== null && cf.default !== undefined) data[cf.name] = cf.default;
    row.custom_fields = data;
  }

  /**
   * Stores a prepared row (insert or update) with NetBox's timestamps. Rows of one bulk request are validated
   * before any is saved, so uniqueness is checked again here: a clash inside the batch is the database's
   * IntegrityError (a 500), and a tag restricted to other object types aborts the request like NetBox's signal.
   */
  save(model: ModelDef, row: Row, before: Row | null, sink: ChangeSink | null): Row {
    const stored = { ...row, id: before ? before.id : this.db.nextId(model.ctype) };
    this.checkTagTypes(model, stored);
    this.checkIntegrity(model, stored);
    const now = this.db.stamp();
    if (before) {
      const after = { ...stored, last_updated: now };
      this.db.replace(model, before, after, sink);
      return after;
    }
    const created = { ...stored, created: now, last_updated: now };
    this.db.insert(model, created, sink);
    return created;
  }

  private checkTagTypes(model: ModelDef, row: Row): void {
    if (!model.features.tags) return;
    for (const id of row.tags as number[]) {
      const tag = this.db.get("extras.tag", id)!;
      const types = tag.object_types as string[];
      if (types.length && !types.includes(model.ctype)) {
        throw new Abort(400, { detail: `Tag ${String(tag.name)} cannot be assigned to ${model.ctype.split(".")[1]} objects.` });
      }
    }
  }

  private checkIntegrity(model: ModelDef, row: Row): void {
    const table = this.db.table(model.ctype);
    const clash = (name: string) => {
      throw new Abort(500, serverErrorBody(this.db.version, `duplicate key value violates unique constraint "${model.ctype.replace(".", "_")}_${name}"`, "IntegrityError"));
    };
    for (const [name, def] of Object.entries(model.fields)) {
      if (!def.unique || row[name] === null || row[name] === undefined) continue;
      if ([...table.byValue(name, row[name])].some((id) => id !== row.id)) clash(`${name}_key`);
    }
    (model.constraints ?? []).forEach((c, i) => {
      if (table.uniqueConflicts(i, row).length) clash(`unique_${c.fields.map((f) => f.replace(/^lower\((.*)\)$/, "$1")).join("_")}`);
    });
  }
}

function flattenAttrs(attrs: Record<string, unknown>, prefix = ""): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (isPlainObject(v)) out.push(...flattenAttrs(v, `${prefix}${k}__`));
    else out.push([`${prefix}${k}`, v]);
  }
  return out;
}

export function looseEqual(stored: unknown, wanted: unknown): boolean {
  if (stored === wanted) return true;
  if (typeof stored === "number" && typeof wanted === "string") return String(stored) === wanted.trim();
  if (typeof stored === "string" && typeof wanted === "number") return stored === String(wanted);
  return false;
}

function pyStr(value: unknown): string {
  return typeof value === "string" ? value : pyRepr(value);
}

function toNumber(value: unknown, integer: boolean): number | null {
  if (typeof value === "boolean") return null;
  if (typeof value === "number") return integer && !Number.isInteger(value) ? null : value;
  if (typeof value !== "string" || value.trim() === "") return null;
  const text = integer ? value.trim().replace(/\.0*$/, "") : value.trim();
  if (!(integer ? /^[-+]?\d+$/ : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/).test(text)) return null;
  return Number(text);
}

function bounded(n: number, min?: number, max?: number): Parsed {
  if (min !== undefined && n < min) return fail([`Ensure this value is greater than or equal to ${min}.`]);
  if (max !== undefined && n > max) return fail([`Ensure this value is less than or equal to ${max}.`]);
  return ok(n);
}

const TRUE = new Set(["t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1", 1, true]);
const FALSE = new Set(["f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0", 0, false]);

function toBool(value: unknown): boolean | null {
  if (TRUE.has(value as string)) return true;
  if (FALSE.has(value as string)) return false;
  return null;
}

/** NetBox's `ChoiceField.to_internal_value`. */
function parseChoice(choices: readonly (readonly [string | number, string])[], blank: boolean, value: unknown): Parsed {
  if (value === "") return blank ? ok("") : fail(["This field may not be blank."]);
  if (typeof value === "object") return fail(['Value must be passed directly (e.g. "foo": 123); do not use a dictionary or list.']);
  let v: unknown = value;
  if (typeof v === "string") {
    if (v.toLowerCase() === "true") v = true;
    else if (v.toLowerCase() === "false") v = false;
    else if (/^\s*[-+]?\d+\s*$/.test(v)) v = Number(v);
  }
  const hit = choices.find(([c]) => c === v);
  if (hit) return ok(hit[0]);
  return fail([`${v === true ? "True" : v === false ? "False" : String(v)} is not a valid choice.`]);
}

