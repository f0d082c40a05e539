import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests drive the real Pulumi CLI; a single `pulumi up` can take tens of seconds.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Two cores: run test files in parallel across forks but keep Pulumi-heavy files from piling up.
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default", "json"],
    // Read by .ci/run to print the plain "N passed, N failed" closing line.
    outputFile: { json: ".vitest-results.json" },
  },
});
