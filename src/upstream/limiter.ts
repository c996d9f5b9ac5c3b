/**
 * Production Workers allow 6 simultaneous open connections per invocation and queue the rest; local workerd
 * does not, so benchmarks would overstate what production can do. Every upstream request takes a slot here.
 */
export const WORKERS_CONNECTION_LIMIT = 6;

export class ConnectionLimiter {
  private active = 0;
  private peakActive = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit = WORKERS_CONNECTION_LIMIT) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError("connection limit must be a positive integer");
  }

  get peak(): number {
    return this.peakActive;
  }

  get inFlight(): number {
    return this.active;
  }

  private async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.peakActive = Math.max(this.peakActive, this.active);
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}
