/**
 * AWS SDK v3 clients shared by handlers, created once per process (as Lambda reuses them across
 * invocations). Endpoints come only from configuration: the SDK reads `AWS_ENDPOINT_URL_<SERVICE>`
 * itself, which is how local mode points them at loopback without any branch in handler code.
 *
 * Every client has connection and request timeouts ({@link REQUEST_HANDLER}); the SDK has none by
 * default, so a dependency that accepts a connection and then never answers (a stalled JVM, a
 * network partition) would hold the call — and its pooled socket — until the function's own
 * timeout, and locally, where invocations share one process, for ever. With them the call fails
 * as `TimeoutError`, which the SDK retries and the saga then retries as transient.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** Timeouts every client uses (ms): connecting, and a request's socket staying silent. */
export const REQUEST_HANDLER = {
  connectionTimeout: 3_000,
  requestTimeout: 10_000,
  // Without it a request past `requestTimeout` is only logged (and keeps waiting).
  throwOnRequestTimeout: true,
} as const;

let ddb: DynamoDBDocumentClient | undefined;
let ses: SESv2Client | undefined;
let sfn: SFNClient | undefined;

/** The DynamoDB document client (plain JS values in and out, `undefined` fields dropped). */
export function dynamo(): DynamoDBDocumentClient {
  ddb ??= DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: REQUEST_HANDLER }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return ddb;
}

export function email(): SESv2Client {
  ses ??= new SESv2Client({ requestHandler: REQUEST_HANDLER });
  return ses;
}

export function stepFunctions(): SFNClient {
  sfn ??= new SFNClient({ requestHandler: REQUEST_HANDLER });
  return sfn;
}
