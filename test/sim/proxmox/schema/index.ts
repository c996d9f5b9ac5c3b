/** Every endpoint the simulator serves, by `METHOD /path`. */
import { ACCESS_ENDPOINTS } from "./access";
import { CLUSTER_ENDPOINTS, TASK_ENDPOINTS } from "./cluster";
import { LXC_ENDPOINTS } from "./lxc";
import { QEMU_ENDPOINTS } from "./qemu";
import type { EndpointDecl } from "./types";

export const ENDPOINTS: ReadonlyMap<string, EndpointDecl> = new Map(
  [...CLUSTER_ENDPOINTS, ...TASK_ENDPOINTS, ...QEMU_ENDPOINTS, ...LXC_ENDPOINTS, ...ACCESS_ENDPOINTS].map((e) => [`${e.method} ${e.path}`, e]),
);

export function endpoint(key: string): EndpointDecl {
  const decl = ENDPOINTS.get(key);
  if (!decl) throw new Error(`no parameter declaration for ${key}`);
  return decl;
}

export type { EndpointDecl, PropertyDecl, PropertyStringFormat, SubKeyDecl, AliasDecl, PveType } from "./types";
