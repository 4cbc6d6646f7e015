/**
 * AWS SDK v3 clients shared by handlers, created once per process (as Lambda reuses them across
 * invocations). Endpoints come only from configuration: the SDK reads `AWS_ENDPOINT_URL_<SERVICE>`
 * itself, which is how local mode points them at loopback without any branch in handler code.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

let ddb: DynamoDBDocumentClient | undefined;
let ses: SESv2Client | undefined;
let sfn: SFNClient | undefined;

/** The DynamoDB document client (plain JS values in and out, `undefined` fields dropped). */
export function dynamo(): DynamoDBDocumentClient {
  ddb ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return ddb;
}

export function email(): SESv2Client {
  ses ??= new SESv2Client({});
  return ses;
}

export function stepFunctions(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}
