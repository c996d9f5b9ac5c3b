/**
 * Cron dispatch. wrangler.toml declares the schedules; each maps to the jobs it runs. The every-minute schedule
 * gains device polling and scheduled syncs as those capabilities land.
 */
import { makeDb } from "../db/client";
import type { AppBindings } from "../env";
import { log } from "../logging";
import { runRetention } from "./retention";

export const EVERY_MINUTE = "* * * * *";
export const DAILY = "17 3 * * *";

type Job = (env: AppBindings, scheduledTime: number) => Promise<unknown>;

const JOBS: Record<string, Array<{ name: string; run: Job }>> = {
  [EVERY_MINUTE]: [],
  [DAILY]: [{ name: "retention", run: (env, at) => runRetention(makeDb(env.DB), at) }],
};

export async function runScheduled(cron: string, env: AppBindings, scheduledTime: number): Promise<void> {
  const jobs = JOBS[cron];
  if (!jobs) {
    log("warn", "cron_unknown", { cron });
    return;
  }
  for (const job of jobs) {
    const started = Date.now();
    try {
      const result = await job.run(env, scheduledTime);
      log("info", "cron_job", { cron, job: job.name, duration_ms: Date.now() - started, result });
    } catch (err) {
      log("error", "cron_job_failed", { cron, job: job.name, error: err });
      throw err;
    }
  }
}
