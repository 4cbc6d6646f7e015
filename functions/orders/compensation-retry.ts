/**
 * The operator's side of a parked compensation (compensation.ts): answering the parked task so the
 * saga runs its compensations again. Used by `countersign orders retry-compensation <id>`; kept
 * apart so the saga's handlers never import a Step Functions command they are not granted.
 */
import type { SFNClient } from "@aws-sdk/client-sfn";
import { SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { compensationKey, findParkedCompensation } from "./compensation.ts";
import type { OrderDeps } from "./deps.ts";
import { CompensationNotParked } from "./errors.ts";

/** Errors from Step Functions that mean the token no longer waits (answered, or the run ended). */
const TASK_GONE = new Set(["TaskDoesNotExist", "InvalidToken", "TaskTimedOut"]);

/**
 * The operator's retry: answers the parked task so the saga runs its compensations again, then
 * removes the parked item (a second retry of the same parking finds nothing to do).
 * `CompensationNotParked` when nothing waits.
 */
export async function retryCompensation(
  deps: Pick<OrderDeps, "db" | "table">,
  sfn: SFNClient,
  orderId: string,
  at: Date = new Date(),
): Promise<{ orderId: string; retriedAt: string }> {
  const parked = await findParkedCompensation(deps, orderId);
  if (!parked) {
    throw new CompensationNotParked(
      `Order ${orderId} has no compensation waiting for a retry: see \`countersign orders list\``,
    );
  }
  const retriedAt = at.toISOString();
  try {
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: parked.taskToken,
        output: JSON.stringify({ retry: true, at: retriedAt }),
      }),
    );
  } catch (error) {
    if (!TASK_GONE.has((error as Error).name)) throw error;
    await forget(deps, orderId, parked.taskToken);
    throw new CompensationNotParked(
      `The compensation of order ${orderId} no longer waits (${(error as Error).name}): it was retried already or its execution ended`,
      { cause: error },
    );
  }
  await forget(deps, orderId, parked.taskToken);
  return { orderId, retriedAt };
}

/** Deletes the parked item if it still holds `taskToken` (a newer parking keeps its own). */
async function forget(
  deps: Pick<OrderDeps, "db" | "table">,
  orderId: string,
  taskToken: string,
): Promise<void> {
  try {
    await deps.db.send(
      new DeleteCommand({
        TableName: deps.table,
        Key: compensationKey(orderId),
        ConditionExpression: "taskToken = :token",
        ExpressionAttributeValues: { ":token": taskToken },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
  }
}
