/** Small constructors that keep the declarations readable: `opt(int(0, 8))`, `fmt("pve-node")`. */
import type { PropertyDecl, PropertyStringFormat, SubKeyDecl } from "./types";

type Extra = Omit<PropertyDecl, "type">;

export const str = (extra: Extra = {}): PropertyDecl => ({ type: "string", ...extra });
export const bool = (extra: Extra = {}): PropertyDecl => ({ type: "boolean", ...extra });
export const int = (minimum?: number, maximum?: number, extra: Extra = {}): PropertyDecl => ({
  type: "integer",
  ...(minimum === undefined ? {} : { minimum }),
  ...(maximum === undefined ? {} : { maximum }),
  ...extra,
});
export const num = (minimum?: number, maximum?: number, extra: Extra = {}): PropertyDecl => ({
  type: "number",
  ...(minimum === undefined ? {} : { minimum }),
  ...(maximum === undefined ? {} : { maximum }),
  ...extra,
});
export const oneOf = (values: readonly string[], extra: Extra = {}): PropertyDecl => ({ type: "string", enum: values, ...extra });
export const fmt = (format: string, extra: Extra = {}): PropertyDecl => ({ type: "string", format, ...extra });
export const pstr = (format: PropertyStringFormat, extra: Extra = {}): PropertyDecl => ({ type: "string", format, ...extra });
export const pat = (pattern: string, extra: Extra = {}): PropertyDecl => ({ type: "string", pattern, ...extra });
export const strArray = (extra: Extra = {}): PropertyDecl => ({ type: "array", items: { type: "string" }, ...extra });

export function opt<T extends PropertyDecl>(decl: T): T {
  return { ...decl, optional: true };
}

export function defaultKey<T extends PropertyDecl>(decl: T): SubKeyDecl {
  return { ...decl, default_key: true };
}

/** Makes every entry of a parameter map optional. */
export function allOptional(params: Record<string, PropertyDecl>): Record<string, PropertyDecl> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, opt(v)]));
}

export const NODE = fmt("pve-node");
export const VMID = int(100, 999999999, { format: "pve-vmid" });
export const SNAPNAME = fmt("pve-configid", { maxLength: 40 });
export const STORAGE_ID = fmt("pve-storage-id");
export const USERID = fmt("pve-userid", { maxLength: 64 });
export const TOKENID = pat("(?:[A-Za-z][A-Za-z0-9\\.\\-_]+)");
export const VLAN_TRUNKS = "(?:\\d+(?:-\\d+)?(?:;\\d+(?:-\\d+)?)*)";
