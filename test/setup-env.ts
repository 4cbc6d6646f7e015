/**
 * Vitest setup file (runs in every worker before its tests): the environment a handler would have
 * on Lambda, pointed at the run's emulators — the SDK reads `AWS_ENDPOINT_URL_<SERVICE>` and SST's
 * `Resource` reads `SST_RESOURCE_<Name>`, so handler code is the same as on AWS.
 */
import { inject } from "vitest";

const dynamoEndpoint = inject("dynamoEndpoint");
const sesEndpoint = inject("sesEndpoint");
if (!dynamoEndpoint || !sesEndpoint) {
  throw new Error(
    "test/setup-env.ts needs test/global-setup.ts: add it as globalSetup in the Vitest config that runs this file",
  );
}

Object.assign(process.env, {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
  AWS_ENDPOINT_URL_SES: sesEndpoint,
  // SESv2Client (functions/shared/clients.ts) reads its own variable, named after service id "SESv2".
  AWS_ENDPOINT_URL_SESV2: sesEndpoint,
  // The local S3 (path-style: clients set forcePathStyle).
  AWS_ENDPOINT_URL_S3: inject("s3Endpoint"),
  SST_RESOURCE_Table: JSON.stringify({ name: inject("tableName") }),
  SST_RESOURCE_Email: JSON.stringify({ sender: "orders@countersign.local" }),
});
