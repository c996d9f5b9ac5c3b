/** RouterOS text formats: durations (`2d20h12m20s`), dates in the ≤7.9 and the newer style, and argument values. */
import { invalidValue } from "./errors";

/** `1w2d3h4m5s`: RouterOS prints only the non-zero units, and `0s` for nothing. */
export function formatDuration(totalSeconds: number): string {
  let s = Math.max(0, Math.floor(totalSeconds));
  const parts: string[] = [];
  for (const [unit, size] of [["w", 604800], ["d", 86400], ["h", 3600], ["m", 60]] as const) {
    const n = Math.floor(s / size);
    if (n > 0) parts.push(`${n}${unit}`);
    s -= n * size;
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join("");
}

/**
 * Reads a time argument: `5s`, `1m30s`, `1500ms`, `00:01:30` or a bare number of seconds. Returns milliseconds.
 */
export function parseDurationArg(name: string, text: string): number {
  const clock = /^(\d+):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text);
  if (clock) return ((Number(clock[1]) * 60 + Number(clock[2])) * 60 + Number(clock[3])) * 1000 + Number((clock[4] ?? "0").padEnd(3, "0"));
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  let rest = text;
  if (rest === "") throw invalidValue(name);
  while (rest !== "") {
    const m = /^(\d+)(ms|w|d|h|m|s)/.exec(rest);
    if (!m) throw invalidValue(name);
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** Does this RouterOS version print dates as `jan/15/2024` (≤ 7.9) rather than `2024-01-15`? */
export function usesLegacyDates(version: string): boolean {
  const [major, minor] = version.split(/[.\s]/).map(Number);
  return major! < 7 || (major === 7 && minor! < 10);
}

/** A timestamp as the router prints it: `2024-10-28 12:28:48`, or `Oct/28/2024 12:28:48` on ≤ 7.9. */
export function formatDate(ms: number, legacy: boolean, lowerMonth = false): string {
  const d = new Date(ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (!legacy) return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${time}`;
  const month = MONTHS[d.getUTCMonth()]!;
  const shown = lowerMonth ? month : month[0]!.toUpperCase() + month.slice(1);
  return `${shown}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${time}`;
}

/** The first line of an export: `# jan/15/2024 10:30:00 by RouterOS 7.9.1` or `# 2024-10-28 12:28:48 by RouterOS 7.16.1`. */
export function exportHeader(ms: number, versionNumber: string): string {
  return `# ${formatDate(ms, usesLegacyDates(versionNumber), true)} by RouterOS ${versionNumber}`;
}

/** Boolean arguments: RouterOS takes yes/no/true/false and stores them as `true`/`false` in replies. */
export function parseBool(name: string, text: string): string {
  const v = text.toLowerCase();
  if (v === "yes" || v === "true") return "true";
  if (v === "no" || v === "false") return "false";
  throw invalidValue(name);
}

export function parseIntArg(name: string, text: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text)) throw invalidValue(name);
  const n = Number(text);
  if (n < min || n > max) throw invalidValue(name);
  return n;
}

const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

/** `a.b.c.d/nn` (or a bare address, which RouterOS reads as /32). Returns the normalised prefix text. */
export function parseIpPrefix(name: string, text: string): { address: string; prefix: number } {
  const [address, len] = text.split("/");
  if (!address || !isIpv4(address)) throw invalidValue(name);
  const prefix = len === undefined ? 32 : parseIntArg(name, len, 0, 32);
  return { address, prefix };
}

export function networkOf(address: string, prefix: number): string {
  const n = address.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = (n & mask) >>> 0;
  return [24, 16, 8, 0].map((s) => (net >>> s) & 255).join(".");
}
