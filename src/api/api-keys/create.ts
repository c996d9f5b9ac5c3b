import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { createApiKey, publicApiKey } from "../../services/api-keys";
import { auditMeta } from "../../services/audit";
import { errorResponses, json, jsonBody } from "../openapi";
import { ApiKeyCreatedSchema, ApiKeyCreateSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/api/v1/api-keys",
  tags: ["api-keys"],
  summary: "Create an API key (role up to your own); the key is shown once",
  middleware: [requireRole("admin")],
  request: { body: jsonBody(ApiKeyCreateSchema) },
  responses: { 201: json(ApiKeyCreatedSchema, "Created; store `key` now"), ...errorResponses() },
});

export function registerCreateApiKey(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    const { row, key } = await createApiKey(db, c.get("principal"), c.req.valid("json"), auditMeta(c), now());
    return c.json({ ...publicApiKey(row), key }, 201);
  });
}
