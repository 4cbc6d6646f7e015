/**
 * Business settings handlers read as the `Settings` link, and the public base URL (`Api`) that
 * emailed links point at — the dashboard's origin, where the API's routes are also served.
 */
import type { DeployConfig } from "./lib/deploy-config.ts";

/** The `Settings` linkable from the deploy config. */
export function settings(config: DeployConfig) {
  return new sst.Linkable("Settings", {
    properties: {
      approvalThreshold: config.approvalThreshold,
      approvalTimeoutSeconds: config.approvalTimeoutSeconds,
      approvers: config.approvers,
      operators: config.operators,
    },
  });
}

/** The `Api` linkable: `{ url }` without a trailing slash. */
export function apiUrl(url: $util.Input<string>) {
  return new sst.Linkable("Api", {
    properties: { url: $output(url).apply((u) => u.replace(/\/+$/, "")) },
  });
}
