import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../context";
import { configProblems } from "../../env";
import { databaseState } from "../../services/bootstrap";
import { json } from "../openapi";

const HealthSchema = z
  .object({
    status: z.enum(["ready", "initializing", "misconfigured"]),
    init_ok: z.boolean(),
    checks: z.object({
      config: z.object({ ok: z.boolean(), problems: z.array(z.object({ setting: z.string(), problem: z.string() })) }),
      database: z.object({ ok: z.boolean(), state: z.enum(["ready", "unmigrated"]) }),
    }),
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["system"],
  summary: "Readiness (no authentication); 200 only when ready",
  security: [],
  responses: { 200: json(HealthSchema, "Ready"), 503: json(HealthSchema, "Misconfigured or initializing") },
});

/** The proxbox plugin reads `status` and `init_ok`; operators read `checks` to see what is wrong. */
export function registerHealth(app: App): void {
  app.openapi(route, async (c) => {
    const problems = configProblems(c.env);
    const state = await databaseState(c.get("services").db);
    const status = problems.length > 0 ? "misconfigured" : state === "ready" ? "ready" : "initializing";
    const body = {
      status,
      init_ok: status === "ready",
      checks: { config: { ok: problems.length === 0, problems }, database: { ok: state === "ready", state } },
    } as const;
    return status === "ready" ? c.json(body, 200) : c.json(body, 503);
  });
}

const livenessRoute = createRoute({
  method: "get",
  path: "/livez",
  tags: ["system"],
  summary: "Liveness (no authentication, no database): the Worker answers",
  security: [],
  responses: { 200: json(z.object({ ok: z.literal(true) }).openapi("Liveness"), "Alive") },
});

/** Cheap enough for a load balancer to call often; readiness (/health) is the one that checks dependencies. */
export function registerLiveness(app: App): void {
  app.openapi(livenessRoute, (c) => c.json({ ok: true as const }, 200));
}
