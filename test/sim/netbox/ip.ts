/**
 * IPv4/IPv6 arithmetic for IPAM (addresses with masks, prefixes, usable bounds), on bigint so both families share
 * one code path. Formatting follows netaddr: IPv6 compressed lower-case, IPv4 dotted quad.
 */

export interface IpValue {
  family: 4 | 6;
  /** The host part as an integer. */
  host: bigint;
  /** Mask length. */
  length: number;
}

const V4_BITS = 32;
const V6_BITS = 128;

export const familyBits = (family: 4 | 6) => (family === 4 ? V4_BITS : V6_BITS);

function parseV4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseV6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  let head = text;
  let tailV4: bigint | null = null;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    if (tailV4 === null) return null;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const double = head.split("::");
  if (double.length > 2) return null;
  const left = double[0] ? double[0].split(":") : [];
  const right = double.length === 2 && double[1] ? double[1].split(":") : [];
  const groups = left.length + right.length;
  if (double.length === 1 ? groups !== 8 : groups > 7) return null;
  const all = [...left, ...Array(8 - groups).fill("0"), ...right];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== null) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** Parses `10.0.0.1`, `10.0.0.1/24`, `2001:db8::1/64`; without a mask the host length (32/128) is assumed. */
export function parseIp(text: string): IpValue | null {
  const [addr, mask, extra] = text.trim().split("/");
  if (extra !== undefined || !addr) return null;
  const family: 4 | 6 = addr.includes(":") ? 6 : 4;
  const host = family === 4 ? parseV4(addr) : parseV6(addr);
  if (host === null) return null;
  const bits = familyBits(family);
  let length = bits;
  if (mask !== undefined) {
    if (!/^\d{1,3}$/.test(mask)) return null;
    length = Number(mask);
    if (length > bits) return null;
  }
  return { family, host, length };
}

export function formatHost(family: 4 | 6, host: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((host >> shift) & 0xffn)).join(".");
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((host >> BigInt(i * 16)) & 0xffffn));
  // Compress the longest run (length ≥ 2) of zero groups, leftmost on ties, as RFC 5952 and netaddr do.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

export const formatIp = (ip: IpValue) => `${formatHost(ip.family, ip.host)}/${ip.length}`;

export function networkOf(ip: IpValue): bigint {
  const hostBits = BigInt(familyBits(ip.family) - ip.length);
  return (ip.host >> hostBits) << hostBits;
}

export function lastOf(ip: IpValue): bigint {
  const hostBits = BigInt(familyBits(ip.family) - ip.length);
  return networkOf(ip) | ((1n << hostBits) - 1n);
}

/** The prefix with host bits cleared, as NetBox stores a prefix (`10.0.0.5/24` → `10.0.0.0/24`). */
export const normalizePrefix = (ip: IpValue): IpValue => ({ ...ip, host: networkOf(ip) });

/** Usable range for available-IP computation (spec §8 / `Prefix.usable_ip_bounds`). */
export function usableBounds(prefix: IpValue, isPool: boolean): [bigint, bigint] {
  const first = networkOf(prefix);
  const last = lastOf(prefix);
  if (isPool || (prefix.family === 4 && prefix.length >= 31) || (prefix.family === 6 && prefix.length >= 127)) return [first, last];
  if (prefix.family === 4) return [first + 1n, last - 1n];
  return [first + 1n, last];
}

/** A key that orders like PostgreSQL's inet ordering within a family: host, then mask length. */
export function hostKey(family: 4 | 6, host: bigint): string {
  return `${family}:${host.toString(16).padStart(family === 4 ? 8 : 32, "0")}`;
}

export function contains(prefix: IpValue, ip: IpValue): boolean {
  return prefix.family === ip.family && ip.host >= networkOf(prefix) && ip.host <= lastOf(prefix);
}

/** `bc:24:11:aa:bb:cc` → `BC:24:11:AA:BB:CC`; accepts `-` and `.`-grouped forms like netaddr; null if invalid. */
export function normalizeMac(text: string): string | null {
  const hex = text.replace(/[-:.]/g, "");
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) return null;
  if (!/^([0-9a-fA-F]{2}([-:])){5}[0-9a-fA-F]{2}$|^[0-9a-fA-F]{12}$|^([0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$/.test(text)) return null;
  return hex.toUpperCase().match(/../g)!.join(":");
}
