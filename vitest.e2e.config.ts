import { defineConfig } from "vitest/config";

/** End-to-end suites drive real processes (npm start, wrangler dev) from Node. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
