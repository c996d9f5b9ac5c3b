import { buildApp } from "./app";
import type { AppBindings } from "./env";
import { consumeBatch } from "./jobs/queue";
import { runScheduled } from "./jobs/scheduled";

export { EventHub } from "./poll/event-hub";
export { SyncRun } from "./sync/sync-run";

const app = buildApp();

export default {
  fetch: app.fetch,
  queue: (batch, env, _ctx) => consumeBatch(batch, env),
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(controller.cron, env, controller.scheduledTime)),
} satisfies ExportedHandler<AppBindings>;
