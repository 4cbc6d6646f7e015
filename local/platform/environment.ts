/**
 * Local configuration, as SST and Lambda deliver it on AWS. The process environment holds what
 * every function shares (region, credentials, the SDK's `AWS_ENDPOINT_URL_<SERVICE>` pointing at
 * loopback); linked resources are not in it: each function sees only its own links, by name,
 * through SST's `Resource` (scope.ts, functions.ts). Nothing in handler or API code knows it runs
 * locally; this is the only place that differs.
 */
import type { LinkName } from "../../stacks/topology.ts";

export interface LocalEndpoints {
  dynamodb: string;
  ses: string;
  /** The local S3 (path-style addressing); absent where none runs. */
  s3?: string;
  stepFunctions: string;
  api: string;
}

export interface LocalResources {
  table: string;
  sender: string;
  signingKey: string;
  stateMachineArn: string;
  approvers: string[];
  /** Who may see orders and executions in the dashboard. */
  operators: string[];
  approvalThreshold: number;
  approvalTimeoutSeconds: number;
  /** In whose name the saga asks for approval (`Settings.requester`). */
  requester?: string;
}

/** The environment variables every local function shares. */
export function localEnvironment(endpoints: LocalEndpoints): Record<string, string> {
  return {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SES: endpoints.ses,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    AWS_ENDPOINT_URL_SFN: endpoints.stepFunctions,
    ...(endpoints.s3 ? { AWS_ENDPOINT_URL_S3: endpoints.s3 } : {}),
  };
}

/** Every link's value, as SST would deliver it; each function gets the ones it links. */
export function localLinks(
  endpoints: LocalEndpoints,
  resources: LocalResources,
): Record<LinkName, unknown> {
  return {
    Table: { name: resources.table },
    Email: { sender: resources.sender },
    SigningKey: { value: resources.signingKey },
    Api: { url: endpoints.api },
    OrderSaga: { arn: resources.stateMachineArn },
    Settings: {
      approvalThreshold: resources.approvalThreshold,
      approvalTimeoutSeconds: resources.approvalTimeoutSeconds,
      approvers: resources.approvers,
      operators: resources.operators,
      ...(resources.requester ? { requester: resources.requester } : {}),
    },
  };
}
