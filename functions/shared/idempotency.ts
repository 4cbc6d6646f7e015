/**
 * Idempotent steps with Powertools for AWS Lambda (idempotency utility, DynamoDB persistence in
 * the single table). A step is keyed by an explicit string — the saga uses `<orderId>#<step>` — so
 * a Lambda retried by Step Functions, a duplicate delivery or a resumed execution replays the
 * stored result instead of repeating the effect.
 *
 * Powertools is the fast path and the concurrency lock (a second concurrent call gets
 * `IdempotencyAlreadyInProgressError`, which the state machine retries). It is not the only guard:
 * it deletes its record when the function throws, so a step that failed *after* its effect runs
 * again — every effect in functions/orders is therefore also a conditional write of its own.
 *
 * Records: pk `IDEMPOTENCY#<step>`, sk `<step>#<hash of key>`, expiring through the table's `ttl`.
 * With a sort key Powertools needs a static partition value; one partition per step keeps each
 * under DynamoDB's per-partition limit (1,000 writes/s) up to roughly 300 orders/s.
 */

import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import { REQUEST_HANDLER } from "./clients.ts";
import { resource } from "./resources.ts";

/** Long enough to cover a saga waiting a day for approval and then being redriven. */
const RECORD_TTL_SECONDS = 48 * 60 * 60;

let rawClient: DynamoDBClient | undefined;

/** A function whose effect happens once per key; call `withContext` per Lambda invocation. */
export interface IdempotentStep<A, R> {
  (key: string, arg: A): Promise<R>;
  /** Registers the invocation's context, so a crashed invocation's lock expires with its timeout. */
  withContext(context: Pick<Context, "getRemainingTimeInMillis"> | undefined): void;
}

/**
 * Wraps `fn` so that, per `key`, it completes at most once and later calls return the stored
 * result. The persistence layer is created on first use, after the environment is in place.
 */
export function idempotentStep<A, R>(
  step: string,
  fn: (arg: A) => Promise<R>,
): IdempotentStep<A, R> {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: "idempotencyKey",
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: RECORD_TTL_SECONDS,
  });
  let wrapped: ((call: { idempotencyKey: string; arg: A }) => Promise<R>) | undefined;
  const call = async (key: string, arg: A): Promise<R> => {
    if (!wrapped) {
      // Powertools marshals attribute values itself, so it needs the raw client, not the document one.
      rawClient ??= new DynamoDBClient({ requestHandler: REQUEST_HANDLER });
      const persistenceStore = new DynamoDBPersistenceLayer({
        tableName: resource("Table").name,
        keyAttr: "pk",
        sortKeyAttr: "sk",
        staticPkValue: `IDEMPOTENCY#${step}`,
        expiryAttr: "ttl",
        awsSdkV3Client: rawClient,
      });
      wrapped = makeIdempotent(async (c: { idempotencyKey: string; arg: A }) => fn(c.arg), {
        persistenceStore,
        config,
        keyPrefix: step,
      });
    }
    return wrapped({ idempotencyKey: key, arg });
  };
  return Object.assign(call, {
    withContext(context: Pick<Context, "getRemainingTimeInMillis"> | undefined) {
      if (context) config.registerLambdaContext(context as Context);
    },
  });
}
