import { buildApp } from "./app";
import type { AppBindings } from "./env";

export { EventHub } from "./poll/event-hub";
export { SyncRun } from "./sync/sync-run";

const app = buildApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<AppBindings>;
