import { defineConfig } from "vitest/config";

// Two projects (`vitest run --project unit|integration`):
// - unit: tests beside the code and the conformance corpora; no JVM, no global setup, seconds.
// - integration: whole flows under test/ and any `*.int.test.ts`, on ONE DynamoDB Local and ONE
//   SES outbox for the whole run (test/global-setup.ts); tests isolate themselves by key prefix.
// The SDK warns every Node 20 process about its future Node 22 floor; Node 20 is supported here.
// Set before the global setup and the workers (which inherit it) create their first client.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const INTEGRATION = ["test/**/*.test.ts", "**/*.int.test.ts"];
const PURE_UNDER_TEST = ["test/conformance/**/*.test.ts"];
const IGNORED = ["**/node_modules/**", "web/dist/**", "**/.sst/**"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/summary-reporter.ts"],
    pool: "forks",
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [
            "local/**/*.test.ts",
            "functions/**/*.test.ts",
            "stacks/**/*.test.ts",
            "bench/**/*.test.ts",
            "web/**/*.test.ts",
            ...PURE_UNDER_TEST,
          ],
          exclude: [...IGNORED, "**/*.int.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: INTEGRATION,
          exclude: [...IGNORED, ...PURE_UNDER_TEST],
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/setup-env.ts"],
        },
      },
    ],
  },
});
