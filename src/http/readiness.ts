import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { configProblems } from "../env";
import { ApiError } from "../errors";
import { databaseState, ensureInitialAdmin } from "../services/bootstrap";

/** Per isolate: once the database is migrated and seeded, later requests skip the check. */
let seeded = false;

/**
 * Refuses to serve with an unsafe configuration (every request answers 503 naming the problem) and seeds the
 * initial admin on first boot. `/health` is let through so it can report the same facts.
 */
export const readiness = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.path === "/health") return next();
  const problems = configProblems(c.env);
  if (problems.length > 0) {
    throw new ApiError(503, "misconfigured", `Outpost refuses to run: ${problems.map((p) => `${p.setting} ${p.problem}`).join("; ")}`, {
      problems,
    });
  }
  if (!seeded) {
    const { db } = c.get("services");
    if ((await databaseState(db)) !== "ready") {
      throw new ApiError(503, "initializing", "The database has no schema yet; apply the migrations (wrangler d1 migrations apply)");
    }
    await ensureInitialAdmin(db, c.env);
    seeded = true;
  }
  return next();
});
