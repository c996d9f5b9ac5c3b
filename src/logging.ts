/**
 * One JSON line per request or notable event. Everything passes through `redact` first, so a secret handed to the
 * logger by mistake still never reaches the log stream.
 */
const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authorization|cookie|credential|private|master[-_]?key|pepper|csrf|ticket|session[-_]?key/i;
const SECRET_VALUE_PATTERNS: RegExp[] = [
  /opk_[A-Za-z0-9_-]{8,}/g,
  /nbt_[A-Za-z0-9]+\.[A-Za-z0-9]+/g,
  /(Bearer|Token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /PVEAPIToken[= ][^\s,;"]+/g,
  /PVEAuthCookie=[^\s;,"]+/g,
  /PVE:[^\s:]+:[0-9A-F]{8}::[A-Za-z0-9+/=]+/g,
];

export const REDACTED = "[redacted]";

export function redactString(value: string): string {
  let out = value;
  for (const pattern of SECRET_VALUE_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return "[depth]";
  if (typeof value === "string") return redactString(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) {
    const cause = value.cause === undefined ? undefined : redact(value.cause, depth + 1);
    return { name: value.name, message: redactString(value.message), ...(cause === undefined ? {} : { cause }) };
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) && v !== null && v !== undefined && typeof v !== "boolean" ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LogSink {
  (line: string): void;
}

let sink: LogSink = (line) => console.log(line);

/** Tests swap the sink to read what would have been logged. */
export function setLogSink(next: LogSink): LogSink {
  const previous = sink;
  sink = next;
  return previous;
}

export function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  const record = redact({ ts: new Date().toISOString(), level, event, ...fields });
  sink(JSON.stringify(record));
}
