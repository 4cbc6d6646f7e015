/**
 * Compensations that could not finish. When RefundPayment or ReleaseStock still fails after the
 * saga's retries (minutes of a dependency being down), the saga does not end with stock or a
 * charge held silently: its `ParkCompensation` state (a `.waitForTaskToken` task on
 * MarkOrderFailed) records the order as `COMPENSATION_FAILED`, with the reason, and keeps the
 * task token in a separate item, then waits. An operator sees the order in `orders list` and
 * `countersign status`, and `countersign orders retry-compensation <id>` answers the token
 * (SendTaskSuccess, compensation-retry.ts), so the saga runs its compensations again from the
 * refund (each idempotent).
 *
 * The token sits in `ORDER#<id>` / `COMPENSATION`, not on the order item, so nothing that lists or
 * shows orders can ever return it.
 */
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { COMPENSATIONS_PARKED, emitCount } from "../shared/metrics.ts";
import type { OrderDeps } from "./deps.ts";
import { keys, type OrderStatus } from "./model.ts";
import { describeFailure, type SagaFailure } from "./orders.ts";

/** The item holding a parked compensation's task token. */
export const compensationKey = (orderId: string) => ({
  pk: keys.order(orderId).pk,
  sk: "COMPENSATION",
});

/** A parked compensation as stored. */
export interface ParkedCompensation {
  orderId: string;
  taskToken: string;
  /** The saga's failure that the compensations were undoing. */
  failure: SagaFailure;
  /** The compensation's own error (its last attempt). */
  compensation: { error?: string; cause?: string };
  parkedAt: string;
}

/**
 * Records the order as COMPENSATION_FAILED and keeps `taskToken` for the operator's retry, in one
 * transaction (a token without the status, or the reverse, would leave the operator blind).
 * Repeating it (a retried invocation) stores the newest token.
 */
export async function parkCompensation(
  deps: OrderDeps,
  orderId: string,
  failure: SagaFailure,
  compensation: ParkedCompensation["compensation"],
  taskToken: string,
): Promise<{ orderId: string; status: OrderStatus; error: string; reason: string }> {
  const at = deps.now().toISOString();
  const { error, reason: why } = describeFailure(failure);
  const reason = `${why}; then the compensation failed (${compensation.error ?? "unknown error"}): stock or a charge may be held — retry with \`countersign orders retry-compensation ${orderId}\``;
  const parked: ParkedCompensation = { orderId, taskToken, failure, compensation, parkedAt: at };
  await deps.db.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: deps.table,
            Key: keys.order(orderId),
            UpdateExpression:
              "SET #status = :parked, failureReason = :reason, failureError = :error, updatedAt = :at",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":parked": "COMPENSATION_FAILED" satisfies OrderStatus,
              ":reason": reason,
              ":error": error,
              ":at": at,
            },
          },
        },
        { Put: { TableName: deps.table, Item: { ...compensationKey(orderId), ...parked } } },
      ],
    }),
  );
  // The log line is also the CompensationsParked metric the stacks alarm on: a parked order waits
  // for a person, and nothing else would tell one.
  emitCount(COMPENSATIONS_PARKED, {
    level: "ERROR",
    message: "compensation parked",
    orderId,
    error,
    reason,
  });
  return { orderId, status: "COMPENSATION_FAILED", error, reason };
}

/** The parked compensation of an order, if any (holds the task token: never return it to a client). */
export async function findParkedCompensation(
  deps: Pick<OrderDeps, "db" | "table">,
  orderId: string,
): Promise<ParkedCompensation | undefined> {
  const { Item } = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: compensationKey(orderId), ConsistentRead: true }),
  );
  return Item as ParkedCompensation | undefined;
}
