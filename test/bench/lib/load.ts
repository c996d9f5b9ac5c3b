/** A closed-loop load generator: `concurrency` clients each send requests back to back until `total` are done. */
export interface LoadResult {
  p50: number;
  p99: number;
  mean: number;
  requestsPerSecond: number;
  errors: number;
}

export async function load(url: string, init: RequestInit, total: number, concurrency: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  const started = performance.now();
  async function client(): Promise<void> {
    while (issued < total) {
      issued++;
      const t0 = performance.now();
      try {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        if (!res.ok) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return {
    p50: pick(0.5),
    p99: pick(0.99),
    mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    requestsPerSecond: (latencies.length / elapsed) * 1000,
    errors,
  };
}

export function report(name: string, value: number, unit = ""): void {
  console.log(`${name} ${Number.isInteger(value) ? value : value.toFixed(2)}${unit ? ` ${unit}` : ""}`);
}
