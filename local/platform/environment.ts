/**
 * Local configuration, set exactly as SST and Lambda set it on AWS: the SDK clients read
 * `AWS_ENDPOINT_URL_<SERVICE>`, handlers read linked resources from `SST_RESOURCE_<Name>`. Nothing in
 * handler or API code knows it runs locally; this is the only place that differs.
 */
export interface LocalEndpoints {
  dynamodb: string;
  ses: string;
  stepFunctions: string;
  api: string;
}

export interface LocalResources {
  table: string;
  sender: string;
  signingKey: string;
  stateMachineArn: string;
  approvers: string[];
  approvalThreshold: number;
  approvalTimeoutSeconds: number;
}

/** The environment variables the local platform runs its handlers with. */
export function localEnvironment(
  endpoints: LocalEndpoints,
  resources: LocalResources,
): Record<string, string> {
  return {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SES: endpoints.ses,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    AWS_ENDPOINT_URL_SFN: endpoints.stepFunctions,
    SST_RESOURCE_App: JSON.stringify({ name: "countersign", stage: "local" }),
    SST_RESOURCE_Table: JSON.stringify({ name: resources.table }),
    SST_RESOURCE_Email: JSON.stringify({ sender: resources.sender }),
    SST_RESOURCE_SigningKey: JSON.stringify({ value: resources.signingKey }),
    SST_RESOURCE_Api: JSON.stringify({ url: endpoints.api }),
    SST_RESOURCE_OrderSaga: JSON.stringify({ arn: resources.stateMachineArn }),
    SST_RESOURCE_Settings: JSON.stringify({
      approvalThreshold: resources.approvalThreshold,
      approvalTimeoutSeconds: resources.approvalTimeoutSeconds,
      approvers: resources.approvers,
    }),
  };
}
