/**
 * Timestamps are stored in microseconds and printed the three ways NetBox prints them: DRF (`…T08:00:00.123456Z`),
 * Python `isoformat()` for ETags and webhook timestamps (`…+00:00`), and Django's JSON encoder in change
 * snapshots (milliseconds, `Z`).
 */

function parts(us: number): { base: string; micros: number } {
  const ms = Math.floor(us / 1000);
  const base = new Date(ms).toISOString().slice(0, 19);
  return { base, micros: Math.round(us - Math.floor(us / 1_000_000) * 1_000_000) };
}

const formatted = new Map<number, string>();

/** Python's `datetime.isoformat()` for an aware UTC datetime (memoised: rows are rendered again and again). */
export function isoformat(us: number): string {
  let text = formatted.get(us);
  if (text === undefined) {
    const { base, micros } = parts(us);
    text = micros === 0 ? `${base}+00:00` : `${base}.${String(micros).padStart(6, "0")}+00:00`;
    if (formatted.size > 100_000) formatted.clear();
    formatted.set(us, text);
  }
  return text;
}

/** DRF's DateTimeField representation. */
export const drfDateTime = (us: number) => isoformat(us).replace(/\+00:00$/, "Z");

/** Django's `DjangoJSONEncoder` (millisecond precision). */
export function djangoJsonDateTime(us: number): string {
  const { base, micros } = parts(us);
  return micros === 0 ? `${base}Z` : `${base}.${String(micros).padStart(6, "0").slice(0, 3)}Z`;
}

/** The weak ETag NetBox 4.6 derives from `last_updated`. */
export const etagOf = (us: number) => `W/"${isoformat(us)}"`;

/** Parses an ISO 8601 date-time as DRF accepts it; a value without an offset is taken as UTC. */
export function parseDateTime(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const zone = !m[4] || m[4] === "Z" ? "Z" : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  if (Number.isNaN(ms)) return null;
  const fraction = m[3] ? Math.round(Number(`0${m[3]}`) * 1_000_000) : 0;
  return ms * 1000 + fraction;
}
