import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { requireRole } from "../../http/authorize";
import { listFailures, publicLockout } from "../../services/lockouts";
import { errorResponses, json } from "../openapi";
import { LockoutListQuery, LockoutListSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/api/v1/lockouts",
  tags: ["lockouts"],
  summary: "Recent authentication failures per (credential × source), and which pairs are locked",
  middleware: [requireRole("admin")],
  request: { query: LockoutListQuery },
  responses: { 200: json(LockoutListSchema, "Failures and lockouts"), ...errorResponses() },
});

export function registerListLockouts(app: App): void {
  app.openapi(route, async (c) => {
    const { db, now } = c.get("services");
    const { locked } = c.req.valid("query");
    const rows = (await listFailures(db, c.get("principal"))).map((row) => publicLockout(row, now()));
    const filtered = locked === undefined ? rows : rows.filter((r) => r.locked === (locked === "true"));
    return c.json({ lockouts: filtered }, 200);
  });
}
