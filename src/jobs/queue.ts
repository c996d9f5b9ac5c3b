/**
 * Queue consumer. Each message is validated against the job types this Worker knows; a message that is not
 * valid is acknowledged and logged so it can never poison the queue with endless retries. Messages that
 * exhausted their retries arrive from the dead-letter queue and are recorded, never silently dropped.
 */
import { z } from "zod";
import type { AppBindings } from "../env";
import { log } from "../logging";

export const POLL_QUEUE = "outpost-poll";
export const DEAD_LETTER_QUEUE = "outpost-poll-dlq";

type Handler = (body: unknown, env: AppBindings) => Promise<void>;

/** Job handlers by `type`; capabilities register theirs (device polls, config backups) as they land. */
const handlers = new Map<string, { schema: z.ZodType; run: Handler }>();

export function registerQueueJob<T>(type: string, schema: z.ZodType<T>, run: (body: T, env: AppBindings) => Promise<void>): void {
  handlers.set(type, { schema, run: run as Handler });
}

const Envelope = z.object({ type: z.string().min(1) }).loose();

export function retryDelaySeconds(attempts: number): number {
  return Math.min(2 ** attempts * 15, 3600);
}

export async function consumeBatch(batch: MessageBatch<unknown>, env: AppBindings): Promise<void> {
  for (const message of batch.messages) {
    if (batch.queue === DEAD_LETTER_QUEUE) {
      log("error", "dead_letter", { queue: batch.queue, message_id: message.id, attempts: message.attempts, body: message.body });
      message.ack();
      continue;
    }
    const envelope = Envelope.safeParse(message.body);
    const handler = envelope.success ? handlers.get(envelope.data.type) : undefined;
    const parsed = handler?.schema.safeParse(message.body);
    if (!handler || !parsed?.success) {
      log("error", "queue_message_invalid", { queue: batch.queue, message_id: message.id, body: message.body });
      message.ack();
      continue;
    }
    try {
      await handler.run(parsed.data, env);
      message.ack();
    } catch (err) {
      log("warn", "queue_job_retry", { queue: batch.queue, message_id: message.id, attempts: message.attempts, error: err });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
