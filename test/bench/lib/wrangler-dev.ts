/** Starts `wrangler dev` on its own port and database for a benchmark, and stops it afterwards. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
// @ts-expect-error plain ESM helper shared with npm start
import { ensureDevVars } from "../../../scripts/dev-vars.mjs";

export interface RunningOutpost {
  base: string;
  adminPassword: string;
  stop(): void;
}

export async function startOutpost(port: number): Promise<RunningOutpost> {
  const vars = ensureDevVars() as Record<string, string>;
  const persist = mkdtempSync(path.join(tmpdir(), "outpost-bench-"));
  const env = { ...process.env, CI: "true" };
  const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], { env, encoding: "utf8" });
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr}`);
  const child: ChildProcess = spawn(
    "npx",
    ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persist, "--show-interactive-dev-session=false", "--log-level", "error"],
    { env, stdio: ["ignore", "ignore", "inherit"] },
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/health`)).status === 200) break;
    } catch {
      // starting
    }
    if (Date.now() > deadline) throw new Error("wrangler dev did not become ready in 60 s");
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, adminPassword: vars.INITIAL_ADMIN_PASSWORD!, stop: () => child.kill("SIGTERM") };
}
