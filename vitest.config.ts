import { defineConfig } from "vitest/config";

// One DynamoDB Local and one SES outbox serve the whole run (test/global-setup.ts);
// tests isolate themselves by table name or key prefix.
// The SDK warns every Node 20 process about its future Node 22 floor; Node 20 is supported here.
// Set before the global setup and the workers (which inherit it) create their first client.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

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
