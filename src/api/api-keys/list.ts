import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { listApiKeys, publicApiKey } from "../../services/api-keys";
import { errorResponses, json } from "../openapi";
import { ApiKeyListSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/api/v1/api-keys",
  tags: ["api-keys"],
  summary: "List the tenant's API keys (never the secrets)",
  middleware: [requireRole("admin")],
  responses: { 200: json(ApiKeyListSchema, "API keys"), ...errorResponses() },
});

export function registerListApiKeys(app: App): void {
  app.openapi(route, async (c) => {
    const rows = await listApiKeys(c.get("services").db, c.get("principal").tenantId);
    return c.json({ api_keys: rows.map(publicApiKey) }, 200);
  });
}
