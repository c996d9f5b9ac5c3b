/**
 * The one strict parameter validator, driven by the declarations in `schema/`. It follows
 * `PVE::JSONSchema::validate`: unknown parameters are refused, every problem is collected per parameter, and the
 * messages are PVE's own. Valid values come back typed by their declaration (integers and booleans as numbers).
 */
import { paramError } from "./errors";
import { FormatError, namedFormat, splitList } from "./formats";
import { PropertyStringError, parsePropertyString } from "./property-string";
import { isAlias, type EndpointDecl, type PropertyDecl, type PropertyStringFormat } from "./schema/types";

export type ParamValue = string | number | string[];
export type ParamValues = Record<string, ParamValue>;

const INTEGER_RE = /^[+-]?\d+$/;
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Finds the declaration of a concrete name, expanding indexed ones (`net0` → `net[n]`, within its range). */
export function declarationOf(params: Record<string, PropertyDecl>, name: string): PropertyDecl | undefined {
  const direct = params[name];
  if (direct) return direct;
  const m = /^([a-z][a-z_-]*?)(\d+)$/.exec(name);
  if (!m) return undefined;
  if (m[2]!.length > 1 && m[2]!.startsWith("0")) return undefined;
  const indexed = params[`${m[1]}[n]`];
  if (!indexed || indexed.indexMax === undefined || Number(m[2]) > indexed.indexMax) return undefined;
  return indexed;
}

const patternCache = new Map<string, RegExp>();
function anchored(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    patternCache.set(pattern, re);
  }
  return re;
}

/** Checks one scalar value; returns the error message or undefined. */
export function checkValue(decl: PropertyDecl, value: string, path: string): string | undefined {
  switch (decl.type) {
    case "integer":
      if (!INTEGER_RE.test(value)) return `type check ('integer') failed - got '${value}'`;
      break;
    case "number":
      if (!NUMBER_RE.test(value)) return `type check ('number') failed - got '${value}'`;
      break;
    case "boolean":
      if (value !== "0" && value !== "1") return `type check ('boolean') failed - got '${value}'`;
      break;
    default:
      break;
  }
  if (decl.maxLength !== undefined && value.length > decl.maxLength) return `value may only be ${decl.maxLength} characters long`;
  if (decl.minLength !== undefined && value.length < decl.minLength) return `value must be at least ${decl.minLength} characters long`;
  if (NUMBER_RE.test(value)) {
    const n = Number(value);
    if (decl.minimum !== undefined && n < decl.minimum) return `value must have a minimum value of ${decl.minimum}`;
    if (decl.maximum !== undefined && n > decl.maximum) return `value must have a maximum value of ${decl.maximum}`;
  }
  if (decl.enum && !decl.enum.includes(value)) return `value '${value}' does not have a value in the enumeration '${decl.enum.join(", ")}'`;
  if (decl.pattern && !anchored(decl.pattern).test(value)) return "value does not match the regex pattern";
  if (decl.format !== undefined) {
    const problem = checkFormat(decl.format, value, path);
    if (problem !== undefined) return `invalid format - ${problem}`;
  }
  return undefined;
}

/** Returns the `die` text of a failed format check (with PVE's trailing newlines), or undefined. */
function checkFormat(format: string | PropertyStringFormat, value: string, path: string): string | undefined {
  if (typeof format !== "string") return checkPropertyString(format, value, path);
  const named = namedFormat(format);
  if (!named) return undefined;
  if (named.property) return checkPropertyString(named.property, value, path);
  try {
    if (named.list) for (const item of splitList(value)) named.verify!(item);
    else named.verify!(value);
  } catch (err) {
    if (err instanceof FormatError) return `${err.message}\n`;
    throw err;
  }
  return undefined;
}

function checkPropertyString(format: PropertyStringFormat, value: string, path: string): string | undefined {
  let parsed: Record<string, string>;
  try {
    parsed = parsePropertyString(format, value);
  } catch (err) {
    if (err instanceof PropertyStringError) return `${err.message}\n`;
    throw err;
  }
  const errors = checkObject(format, parsed, path);
  if (Object.keys(errors).length === 0) return undefined;
  return `format error\n${Object.entries(errors)
    .map(([k, v]) => `${k}: ${v}`)
    .join("")}`;
}

/** check_object over a property string's keys; messages end in a newline as PVE's exception stringification does. */
function checkObject(format: PropertyStringFormat, values: Record<string, string>, path: string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [key, sub] of Object.entries(format)) {
    if (isAlias(sub)) continue;
    const full = `${path}.${key}`;
    const v = values[key];
    if (v === undefined) {
      if (!sub.optional) errors[full] = "property is missing and it is not optional\n";
      continue;
    }
    const problem = checkValue(sub, v, full);
    if (problem !== undefined) errors[full] = problem.endsWith("\n") ? problem : `${problem}\n`;
  }
  return errors;
}

function typed(decl: PropertyDecl, value: string): string | number {
  return decl.type === "integer" || decl.type === "number" || decl.type === "boolean" ? Number(value) : value;
}

/** Validates the merged request parameters of one endpoint; throws the 400 PVE sends, or returns typed values. */
export function validateParams(decl: EndpointDecl, raw: Map<string, string[]>): ParamValues {
  const errors: Record<string, string> = {};
  const values: ParamValues = {};
  for (const [name, list] of raw) {
    const d = declarationOf(decl.params, name);
    if (!d) {
      errors[name] = "property is not defined in schema and the schema does not allow additional properties";
      continue;
    }
    if (d.type === "array") {
      const items = d.items ?? { type: "string" };
      const problem = list.map((v) => checkValue(items, v, name)).find((p) => p !== undefined);
      if (problem !== undefined) errors[name] = problem;
      else values[name] = list;
      continue;
    }
    // Repeated form keys reach PVE joined by NUL, which no scalar check accepts.
    const value = list.join("\0");
    const problem = checkValue(d, value, name);
    if (problem !== undefined) errors[name] = problem;
    else values[name] = typed(d, value);
  }
  for (const [name, d] of Object.entries(decl.params)) {
    if (name.endsWith("[n]")) continue;
    if (!d.optional && !raw.has(name)) errors[name] = "property is missing and it is not optional";
    if (d.requires && raw.has(name) && !raw.has(d.requires) && errors[d.requires] === undefined) {
      errors[d.requires] = `missing property - '${name}' requires this property`;
    }
  }
  if (Object.keys(errors).length > 0) throw paramError(errors);
  return values;
}
