/** Request counts by method and route template (`GET /api2/json/nodes/{node}/qemu`), for calls-per-object figures. */
export class RequestCounters {
  private counts = new Map<string, number>();
  private objectsWritten = 0;
  private objectsRead = 0;
  private injected = new Map<string, number>();

  record(method: string, route: string, objects: { reads: number; writes: number }): void {
    const key = `${method} ${route}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.objectsRead += objects.reads;
    this.objectsWritten += objects.writes;
  }

  /** Injected faults never reach a route, so they are counted by kind rather than by route. */
  recordFault(kind: string): void {
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
  }

  total(filter?: (method: string, route: string) => boolean): number {
    let n = 0;
    for (const [key, count] of this.counts) {
      const [method, route] = splitKey(key);
      if (!filter || filter(method, route)) n += count;
    }
    return n;
  }

  /** Requests that changed state (anything but GET/HEAD). */
  writes(): number {
    return this.total((method) => method !== "GET" && method !== "HEAD");
  }

  snapshot(): { requests: Record<string, number>; total: number; objects_read: number; objects_written: number; faults_injected: Record<string, number> } {
    return {
      faults_injected: Object.fromEntries(this.injected),
      requests: Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b))),
      total: this.total(),
      objects_read: this.objectsRead,
      objects_written: this.objectsWritten,
    };
  }

  reset(): void {
    this.counts.clear();
    this.objectsRead = 0;
    this.objectsWritten = 0;
    this.injected.clear();
  }
}

function splitKey(key: string): [string, string] {
  const space = key.indexOf(" ");
  return [key.slice(0, space), key.slice(space + 1)];
}
