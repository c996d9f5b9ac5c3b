import { defineConfig } from "vitest/config";

/**
 * Conformance runs in Node: it reads the real schemas in ../shared/fixtures and drives the simulators over
 * loopback with independent clients (Debian's python3-proxmoxer), none of which the Workers runtime can do.
 */
export default defineConfig({
  test: {
    include: ["test/conformance/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
