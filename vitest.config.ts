import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** Secrets for tests are explicit bindings so CI never depends on an ignored `.dev.vars`. */
export const TEST_SECRETS = {
  ENVIRONMENT: "test",
  OUTPOST_MASTER_KEY: "3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGho=",
  OUTPOST_PEPPER: "test-pepper-0123456789abcdefghijklmnopqrstuvwxyz",
  JWT_SECRET: "test-jwt-secret-0123456789abcdefghijklmnopqrstuvwxyz",
  INITIAL_ADMIN_USER: "admin",
  INITIAL_ADMIN_PASSWORD: "test-admin-password-1",
};

export default defineConfig(async () => {
  // wrangler checks `[secrets] required` against process.env; the same values go in as explicit bindings.
  Object.assign(process.env, TEST_SECRETS);
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: { ...TEST_SECRETS, TEST_MIGRATIONS: migrations },
          // Test-only: lets tests call exports.default.queue()/scheduled().
          compatibilityFlags: ["service_binding_extra_handlers"],
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts", "src/**/*.test.ts"],
      exclude: ["test/conformance/**", "test/e2e/**", "test/bench/**", "test/node/**", "node_modules/**"],
      setupFiles: ["./test/setup/apply-migrations.ts"],
      testTimeout: 20_000,
      // Request log lines are JSON; tests that care read them through setLogSink instead.
      onConsoleLog: (line: string) => process.env.OUTPOST_TEST_LOGS === "1" || !line.startsWith('{"ts"'),
    },
  };
});
