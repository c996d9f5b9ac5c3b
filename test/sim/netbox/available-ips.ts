/**
 * `/api/ipam/prefixes/{id}/available-ips/` (`ipam/api/views.py`): GET lists the next free addresses as a plain
 * list; POST takes a dict or a list, validates `prefix_length` against the parent, and under the global lock
 * picks the next free addresses and creates them all-or-nothing (201), or answers 409 when the prefix cannot
 * satisfy the request. Usable bounds follow `Prefix.usable_ip_bounds`.
 */
import { formatHost, hostKey, parseIp, usableBounds, type IpValue } from "./ip";
import type { Row } from "./engine/types";
import type { Database } from "./engine/db";
import { ipGroup } from "./models/ipam";
import { lowerBound } from "./engine/table";

/** The parent prefix as an IP value and whether its IPs in every VRF count (a global container). */
function parentSpace(prefix: Row): { net: IpValue; anyVrf: boolean } {
  return { net: parseIp(String(prefix.prefix))!, anyVrf: prefix.vrf === null && prefix.status === "container" };
}

/**
 * The first `limit` free hosts of a prefix, ascending. Used hosts come from the sorted per-VRF index; runs of
 * consecutive used hosts are skipped by binary search, so a nearly full /16 costs a few lookups, not a scan.
 */
export function availableHosts(db: Database, prefix: Row, limit: number): bigint[] {
  const { net, anyVrf } = parentSpace(prefix);
  const [first, last] = usableBounds(net, prefix.is_pool === true);
  const out: bigint[] = [];
  if (anyVrf) {
    // A global container counts addresses in every VRF: check each host against the all-VRF index.
    for (let host = first; host <= last && out.length < limit; host++) {
      if (db.byValue("ipam.ipaddress", "_ip", hostKey(net.family, host)).size === 0) out.push(host);
    }
    return out;
  }
  const used = db.table("ipam.ipaddress").orderedValues(ipGroup(prefix.vrf, net.family));
  let i = lowerBound(used, first);
  let host = first;
  while (host <= last && out.length < limit) {
    while (i < used.length && used[i]! < host) i++;
    if (i < used.length && used[i] === host) {
      host = endOfRun(used, i) + 1n;
      continue;
    }
    out.push(host);
    host++;
  }
  return out;
}

/** The last value of the run of consecutive values starting at index `i`. */
function endOfRun(list: readonly bigint[], i: number): bigint {
  let lo = i;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (list[mid]! - list[i]! === BigInt(mid - i)) lo = mid;
    else hi = mid - 1;
  }
  return list[lo]!;
}

export const hostWithMask = (family: 4 | 6, host: bigint, length: number) => `${formatHost(family, host)}/${length}`;

/** `AvailableIPRequestSerializer`: validates each request's optional `prefix_length` against the parent. */
export function validateRequests(prefix: Row, requests: unknown[]): { errors: Array<Record<string, string[]>> | null } {
  const net = parseIp(String(prefix.prefix))!;
  let failed = false;
  const errors = requests.map((r): Record<string, string[]> => {
    if (typeof r !== "object" || r === null || Array.isArray(r)) {
      failed = true;
      return { non_field_errors: [`Invalid data. Expected a dictionary, but got ${Array.isArray(r) ? "list" : typeof r === "string" ? "str" : typeof r === "number" ? "int" : "NoneType"}.`] };
    }
    const raw = (r as Record<string, unknown>).prefix_length;
    if (raw === undefined || raw === null) return {};
    const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n)) {
      failed = true;
      return { prefix_length: ["A valid integer is required."] };
    }
    // NetBox's messages name the other family (a long-standing quirk), reproduced as they are.
    let message: string | null = null;
    if (n < net.length) message = `Prefix length must be greater than or equal to the parent mask length (${net.length})`;
    else if (net.family === 4 && n > 32) message = `Invalid prefix length (${n}) for IPv6`;
    else if (net.family === 6 && n > 128) message = `Invalid prefix length (${n}) for IPv4`;
    if (message) {
      failed = true;
      return { prefix_length: [message] };
    }
    return {};
  });
  return { errors: failed ? errors : null };
}
