import { defineConfig } from "vitest/config";

// One DynamoDB Local and one SES outbox serve the whole run (test/global-setup.ts);
// tests isolate themselves by table name or key prefix.
export default defineConfig({
  test: {
    include: [
      "local/**/*.test.ts",
      "functions/**/*.test.ts",
      "stacks/**/*.test.ts",
      "test/**/*.test.ts",
      "bench/**/*.test.ts",
      "web/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "web/dist/**"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-env.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/summary-reporter.ts"],
    pool: "forks",
    maxWorkers: 2,
  },
});
