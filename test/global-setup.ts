/**
 * Vitest global setup: ONE DynamoDB Local (in memory), ONE SES local and ONE local S3 (a temporary
 * directory) serve the whole run, so no
 * test pays for a JVM start. Tests isolate themselves by key prefix (unique order ids, SKUs,
 * emails), never by table. Endpoints reach the workers through `provide()`; `test/setup-env.ts`
 * turns them into the environment the handlers read.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { TestProject } from "vitest/node";
import { ensureTable } from "../functions/shared/table-schema.ts";
import { startDynamoDbLocal } from "../local/emulators/dynamodb-local.ts";
import { startS3Local } from "../local/emulators/s3-local.ts";
import { startSesLocal } from "../local/emulators/ses-local.ts";

/** The table every test shares. */
export const TEST_TABLE = "countersign-test";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
    s3Endpoint: string;
    tableName: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [dynamo, ses, s3] = await Promise.all([
    startDynamoDbLocal({ port: 0 }),
    startSesLocal({ port: 0 }),
    startS3Local({ port: 0 }),
  ]);
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  await ensureTable(client, TEST_TABLE);
  client.destroy();
  project.provide("dynamoEndpoint", dynamo.endpoint);
  project.provide("sesEndpoint", ses.endpoint);
  project.provide("s3Endpoint", s3.endpoint);
  project.provide("tableName", TEST_TABLE);
  return async () => {
    await Promise.all([dynamo.stop(), ses.stop(), s3.stop()]);
  };
}
