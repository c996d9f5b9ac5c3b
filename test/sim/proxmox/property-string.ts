/**
 * PVE property strings (`virtio=BC:24:11:…,bridge=vmbr0,tag=10`): parsing with default keys, aliases and key
 * aliases exactly as `PVE::JSONSchema::parse_property_string`, and the canonical printing of
 * `print_property_string` (default key first, then required keys, then the rest sorted).
 */
import { isAlias, type PropertyStringFormat, type SubKeyDecl } from "./schema/types";

export class PropertyStringError extends Error {
  constructor(
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

const TRUE_WORDS = /^(?:1|true|yes|on)$/i;
const FALSE_WORDS = /^(?:0|false|no|off)$/i;

export function parsePropertyString(format: PropertyStringFormat, data: string): Record<string, string> {
  const res: Record<string, string> = {};
  let defaultKey: string | undefined;
  for (const part of data.split(",")) {
    if (/^\s*$/.test(part)) continue;
    const m = /^([^=]+)=(.+)$/s.exec(part);
    if (m) {
      let key = m[1]!;
      let value = m[2]!;
      if (res[key] !== undefined) throw new PropertyStringError(`duplicate key in comma-separated list property: ${key}`);
      let schema = format[key];
      if (schema && isAlias(schema)) {
        if (schema.keyAlias) {
          if (res[schema.keyAlias] !== undefined) throw new PropertyStringError(`key alias '${schema.keyAlias}' is already defined`);
          res[schema.keyAlias] = key;
        }
        key = schema.alias;
        schema = format[key];
      }
      if (!schema || isAlias(schema)) throw new PropertyStringError(`invalid key in comma-separated list property: ${key}`);
      if (schema.type === "boolean") value = TRUE_WORDS.test(value) ? "1" : FALSE_WORDS.test(value) ? "0" : value;
      res[key] = value;
    } else if (!part.includes("=")) {
      if (defaultKey) throw new PropertyStringError(`duplicate key in comma-separated list property: ${defaultKey}`);
      defaultKey = Object.keys(format).find((k) => {
        const s = format[k]!;
        return !isAlias(s) && s.default_key === true;
      });
      if (!defaultKey) throw new PropertyStringError("value without key, but schema does not define a default key");
      if (res[defaultKey] !== undefined) throw new PropertyStringError(`duplicate key in comma-separated list property: ${defaultKey}`);
      res[defaultKey] = part;
    } else {
      throw new PropertyStringError("missing key in comma-separated list property");
    }
  }
  return res;
}

export function printPropertyString(data: Record<string, string | number | undefined>, format: PropertyStringFormat): string {
  const keyAliases = new Map<string, string>();
  let defaultKey: string | undefined;
  for (const [k, s] of Object.entries(format)) {
    if (isAlias(s)) {
      if (s.keyAlias) keyAliases.set(s.keyAlias, s.alias);
    } else if (s.default_key) defaultKey = k;
  }
  const parts: string[] = [];
  const done = new Set<string>();
  const add = (key: string, isDefault: boolean) => {
    if (done.has(key)) return;
    done.add(key);
    const value = data[key];
    if (value === undefined) return;
    const combine = keyAliases.get(key);
    if (combine !== undefined && data[combine] !== undefined) {
      parts.push(`${value}=${data[combine]}`);
      done.add(combine);
      return;
    }
    parts.push(isDefault ? String(value) : `${key}=${value}`);
  };
  if (defaultKey) add(defaultKey, true);
  const keys = Object.keys(data).sort();
  for (const k of keys) {
    const s = format[k] as SubKeyDecl | undefined;
    if (s && !isAlias(s) && !s.optional) add(k, false);
  }
  for (const k of keys) add(k, false);
  return parts.join(",");
}
