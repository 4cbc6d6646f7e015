/**
 * Settings every function shares: Node 22 on Graviton, logs kept a month, and the AWS SDK v3 taken
 * from the Lambda runtime rather than bundled, which keeps the API bundle at ~160 KB instead of
 * ~590 KB (bench: `api.bundleKB`; stacks/test/bundles.int.test.ts cold-starts every bundle that way).
 */
export const FUNCTION_DEFAULTS = {
  runtime: "nodejs22.x",
  nodejs: { esbuild: { external: ["@aws-sdk/*"] as string[] } },
  architecture: "arm64",
  logging: { retention: "1 month" },
} as const;

/** How long function and state machine logs are kept (days; CloudWatch's value for "1 month"). */
export const LOG_RETENTION_DAYS = 30;
