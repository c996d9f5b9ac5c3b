/**
 * Parsers for RouterOS REST values, which are all strings: numbers, booleans (`true`/`false`, `yes`/`no`),
 * durations (`2d20h12m20s`) and dates in both print styles (`2024-10-28 12:28:48`, `oct/28/2024 12:28:48`).
 */

const DURATION_UNITS: Record<string, number> = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1, ms: 0.001, us: 0.000_001 };

/** A RouterOS duration in seconds: `2d20h12m20s`, `1w3d`, `500ms`, `00:01:30`, `1d02:03:04`. Throws on anything else. */
export function parseRosDuration(text: string): number {
  const value = text.trim();
  const clock = /^(?:(\d+)w)?(?:(\d+)d)?(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(value);
  if (clock) {
    const [, w, d, h, m, s, frac] = clock;
    return Number(w ?? 0) * 604_800 + Number(d ?? 0) * 86_400 + Number(h) * 3600 + Number(m) * 60 + Number(s) + (frac ? Number(`0.${frac}`) : 0);
  }
  if (value === "") throw new RangeError("empty RouterOS duration");
  let total = 0;
  let rest = value;
  while (rest !== "") {
    const part = /^(\d+(?:\.\d+)?)(ms|us|w|d|h|m|s)/.exec(rest);
    if (!part) throw new RangeError(`not a RouterOS duration: ${text}`);
    total += Number(part[1]) * DURATION_UNITS[part[2]!]!;
    rest = rest.slice(part[0].length);
  }
  return total;
}

/** A decimal number as RouterOS prints it; throws on anything else (including `""`). */
export function parseRosNumber(text: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(text.trim())) throw new RangeError(`not a RouterOS number: ${text}`);
  return Number(text);
}

/** `true`/`yes` → true, `false`/`no` → false; throws on anything else. */
export function parseRosBool(text: string): boolean {
  const v = text.trim().toLowerCase();
  if (v === "true" || v === "yes") return true;
  if (v === "false" || v === "no") return false;
  throw new RangeError(`not a RouterOS boolean: ${text}`);
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * A RouterOS timestamp in milliseconds, read as UTC (the router prints its local time without a zone):
 * `2024-10-28 12:28:48` (7.10+) or `oct/28/2024 12:28:48` (≤ 7.9, any month case). Undefined when unreadable.
 */
export function parseRosDate(text: string): number | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (iso) {
    const [, y, mo, d, h, mi, s] = iso.map(Number) as number[];
    return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  }
  const legacy = /^([a-z]{3})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/i.exec(text.trim());
  if (!legacy) return undefined;
  const month = MONTHS.indexOf(legacy[1]!.toLowerCase());
  if (month < 0) return undefined;
  const [d, y, h, mi, s] = legacy.slice(2).map(Number) as number[];
  return Date.UTC(y!, month, d!, h!, mi!, s!);
}
