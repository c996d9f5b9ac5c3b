/**
 * An append-only event log in a Durable Object's SQLite storage, fanned out to Server-Sent Events subscribers.
 * Each event's SSE `id` is its sequence number, so a client that reconnects with `Last-Event-ID` gets exactly
 * the events it missed. Writes to subscribers are never awaited: one slow browser must not stall the producer.
 */
const encoder = new TextEncoder();
/** A subscriber whose unread backlog exceeds this many bytes is dropped (it can reconnect and replay). */
const MAX_BACKLOG_BYTES = 1 << 20;

export interface LoggedEvent {
  seq: number;
  type: string;
  data: string;
  at: number;
}

export function sseFrame(event: Pick<LoggedEvent, "seq" | "type" | "data">): string {
  const dataLines = event.data.split("\n").map((line) => `data: ${line}`).join("\n");
  return `id: ${event.seq}\nevent: ${event.type}\n${dataLines}\n\n`;
}

export class SseLog {
  private readonly writers = new Set<WritableStreamDefaultWriter<Uint8Array>>();

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, data TEXT NOT NULL, at INTEGER NOT NULL)`);
  }

  get subscriberCount(): number {
    return this.writers.size;
  }

  append(type: string, data: unknown, at = Date.now()): LoggedEvent {
    const text = typeof data === "string" ? data : JSON.stringify(data);
    const row = this.sql.exec<{ seq: number }>("INSERT INTO events (type, data, at) VALUES (?, ?, ?) RETURNING seq", type, text, at).one();
    const event = { seq: row.seq, type, data: text, at };
    this.broadcast(encoder.encode(sseFrame(event)));
    return event;
  }

  since(afterSeq: number, limit = 10_000): LoggedEvent[] {
    return this.sql
      .exec<{ seq: number; type: string; data: string; at: number }>("SELECT seq, type, data, at FROM events WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit)
      .toArray();
  }

  private broadcast(bytes: Uint8Array): void {
    for (const writer of this.writers) {
      if ((writer.desiredSize ?? 0) < -MAX_BACKLOG_BYTES) {
        this.drop(writer);
        continue;
      }
      writer.write(bytes).catch(() => this.drop(writer));
    }
  }

  private drop(writer: WritableStreamDefaultWriter<Uint8Array>): void {
    this.writers.delete(writer);
    writer.close().catch(() => undefined);
  }

  /** Sends a comment line so proxies keep idle streams open. */
  heartbeat(): void {
    this.broadcast(encoder.encode(": ping\n\n"));
  }

  /** Ends every stream, e.g. when a run is over. */
  closeAll(): void {
    for (const writer of this.writers) this.drop(writer);
  }

  /** Opens a stream: first the replay after `Last-Event-ID` (or `?after=`), then live events. */
  subscribe(request: Request, { closeAfterReplay = false } = {}): Response {
    const url = new URL(request.url);
    const after = Number(request.headers.get("last-event-id") ?? url.searchParams.get("after") ?? 0);
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(undefined, { highWaterMark: MAX_BACKLOG_BYTES });
    const writer = writable.getWriter();
    writer.write(encoder.encode("retry: 3000\n\n")).catch(() => undefined);
    for (const event of this.since(Number.isFinite(after) && after > 0 ? after : 0)) {
      writer.write(encoder.encode(sseFrame(event))).catch(() => undefined);
    }
    if (closeAfterReplay) writer.close().catch(() => undefined);
    else this.writers.add(writer);
    request.signal?.addEventListener("abort", () => this.drop(writer));
    return new Response(readable, {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no" },
    });
  }
}
