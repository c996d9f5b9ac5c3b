import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../context";
import { VERSION } from "../../version";
import { errorResponses, json } from "../openapi";

const route = createRoute({
  method: "get",
  path: "/version",
  tags: ["system"],
  summary: "Outpost's version",
  responses: { 200: json(z.object({ version: z.string() }).openapi("Version"), "The running version"), ...errorResponses() },
});

export function registerVersion(app: App): void {
  app.openapi(route, (c) => c.json({ version: VERSION }, 200));
}
