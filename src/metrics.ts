/**
 * Request counters of this isolate, rendered in Prometheus text. Workers run many isolates, so these are
 * per-isolate samples (labelled with an isolate id); durable totals come from D1 gauges at scrape time.
 */
import { newId } from "./security/tokens";

let isolateId: string | undefined;

/** Random values are not allowed at global scope in Workers, so the id is made on first use. */
function isolate(): string {
  isolateId ??= newId(6);
  return isolateId;
}

interface Counter {
  labels: Record<string, string>;
  value: number;
}

const requests = new Map<string, Counter>();
const durations = new Map<string, { labels: Record<string, string>; sum: number; count: number }>();

export function recordRequest(method: string, route: string, status: number, durationMs: number): void {
  const labels = { method, route, status: String(status) };
  const key = `${method} ${route} ${status}`;
  const counter = requests.get(key) ?? { labels, value: 0 };
  counter.value++;
  requests.set(key, counter);
  const dKey = `${method} ${route}`;
  const d = durations.get(dKey) ?? { labels: { method, route }, sum: 0, count: 0 };
  d.sum += durationMs / 1000;
  d.count++;
  durations.set(dKey, d);
}

function escape(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

export function formatLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

export interface Gauge {
  name: string;
  help: string;
  samples: Array<{ labels: Record<string, string>; value: number }>;
}

export function renderMetrics(gauges: Gauge[]): string {
  const lines: string[] = [];
  for (const g of gauges) {
    lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
    for (const s of g.samples) lines.push(`${g.name}${formatLabels(s.labels)} ${s.value}`);
  }
  lines.push("# HELP outpost_http_requests_total Requests served by this isolate", "# TYPE outpost_http_requests_total counter");
  for (const c of requests.values()) lines.push(`outpost_http_requests_total${formatLabels({ ...c.labels, isolate: isolate() })} ${c.value}`);
  lines.push("# HELP outpost_http_request_duration_seconds Time to answer, in this isolate", "# TYPE outpost_http_request_duration_seconds summary");
  for (const d of durations.values()) {
    const labels = formatLabels({ ...d.labels, isolate: isolate() });
    lines.push(`outpost_http_request_duration_seconds_sum${labels} ${d.sum}`, `outpost_http_request_duration_seconds_count${labels} ${d.count}`);
  }
  return lines.join("\n") + "\n";
}
