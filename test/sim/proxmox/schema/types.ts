/**
 * Hand-written parameter declarations for the endpoints the simulator serves. They state facts about the PVE API
 * (names, types, ranges, formats) in the shape of the schema dump, so one validator can enforce them and the
 * conformance test can prove them equal to the real schema.
 */
export type PveType = "string" | "integer" | "number" | "boolean" | "array";

export interface PropertyDecl {
  type: PveType;
  optional?: boolean;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** PVE's pattern in JavaScript syntax; matched anchored like PVE's `m/^$pattern$/`. */
  pattern?: string;
  /** A named format (`pve-node`) or the sub-keys of a property string. */
  format?: string | PropertyStringFormat;
  /** Another parameter that must be present when this one is. */
  requires?: string;
  items?: PropertyDecl;
  /** For indexed names (`net[n]`): the highest index the real server accepts. Not part of the schema dump. */
  indexMax?: number;
}

export interface SubKeyDecl extends PropertyDecl {
  /** The key a value without `key=` belongs to. */
  default_key?: boolean;
}

/** `virtio=MAC` style keys: the key name is stored in `keyAlias`, the value in `alias`. */
export interface AliasDecl {
  alias: string;
  keyAlias?: string;
}

export type PropertyStringFormat = Record<string, SubKeyDecl | AliasDecl>;

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface EndpointDecl {
  method: HttpMethod;
  /** PVE path template below /api2/json, e.g. `/nodes/{node}/qemu`. */
  path: string;
  params: Record<string, PropertyDecl>;
  /** `false` for the few endpoints API tokens may not call. */
  allowtoken?: boolean;
}

export function isAlias(decl: SubKeyDecl | AliasDecl): decl is AliasDecl {
  return "alias" in decl;
}
