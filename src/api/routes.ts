import type { App } from "../context";
import { registerHealth } from "./system/health";
import { registerVersion } from "./system/version";

/** Every route module, mounted in one place so the route table is easy to read. */
export function registerRoutes(app: App): void {
  registerHealth(app);
  registerVersion(app);
}
