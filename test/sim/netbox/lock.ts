/**
 * NetBox's global advisory lock for IP allocation (`ADVISORY_LOCK_KEYS['available-ips']`), which IP address
 * creates, updates and deletes also take: one holder at a time, FIFO.
 */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}
