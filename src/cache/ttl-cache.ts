/**
 * A bounded, per-isolate map whose entries expire. Workers isolates are reused across requests, so this saves
 * repeated D1 reads on hot paths; every user of it states how long a value may be stale and what evicts it.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** `notAfter` caps the entry's life below the TTL, e.g. at a credential's own expiry. */
  set(key: string, value: V, now: number, notAfter = Infinity): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: Math.min(now + this.ttlMs, notAfter) });
  }

  deleteWhere(match: (value: V, key: string) => boolean): void {
    for (const [key, entry] of this.entries) if (match(entry.value, key)) this.entries.delete(key);
  }
}
