import { DurableObject } from "cloudflare:workers";
import type { AppBindings } from "../env";
import { SseLog } from "../events/sse-log";

const HEARTBEAT_MS = 20_000;

/**
 * One per tenant: live fan-out of device status, alerts, config changes and run lifecycle to browsers.
 * Publishers call `publish` over RPC; browsers hold an SSE stream from `fetch`.
 */
export class EventHub extends DurableObject<AppBindings> {
  private readonly log: SseLog;

  constructor(ctx: DurableObjectState, env: AppBindings) {
    super(ctx, env);
    this.log = new SseLog(ctx.storage.sql);
  }

  async publish(type: string, data: unknown): Promise<number> {
    const event = this.log.append(type, data);
    await this.armHeartbeat();
    return event.seq;
  }

  override async fetch(request: Request): Promise<Response> {
    const response = this.log.subscribe(request);
    await this.armHeartbeat();
    return response;
  }

  override async alarm(): Promise<void> {
    if (this.log.subscriberCount === 0) return;
    this.log.heartbeat();
    await this.ctx.storage.setAlarm(Date.now() + HEARTBEAT_MS);
  }

  private async armHeartbeat(): Promise<void> {
    if (this.log.subscriberCount > 0 && (await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now() + HEARTBEAT_MS);
    }
  }
}
