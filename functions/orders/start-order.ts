/**
 * Starting an order saga: `StartExecution` with the order id as the execution name, so a repeated
 * start (a client retry, a double click) never runs the saga twice. Step Functions answers a
 * repeated start of a running execution with the same ARN, and `ExecutionAlreadyExists` once it
 * ended or when the input differs; this turns the first into "already started" and the second into
 * `OrderAlreadyExists`.
 */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  type SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { OrderAlreadyExists, OrderInvalid } from "./errors.ts";

/** Starts (or finds) the saga of `order`; `started` is false when it already existed. */
export async function startOrder(
  sfn: SFNClient,
  stateMachineArn: string,
  order: { orderId: string } & Record<string, unknown>,
): Promise<{ executionArn: string; started: boolean }> {
  if (typeof order?.orderId !== "string" || !/^[A-Za-z0-9_-]{1,80}$/.test(order.orderId)) {
    throw new OrderInvalid([
      {
        field: "orderId",
        message: "use 1–80 letters, digits, '-' or '_' (it is the execution name)",
      },
    ]);
  }
  const input = JSON.stringify(order);
  try {
    const out = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: order.orderId, input }),
    );
    return { executionArn: out.executionArn as string, started: true };
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    const executionArn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${order.orderId}`;
    const existing = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (existing.input !== undefined && existing.input !== input) {
      throw new OrderAlreadyExists(
        `Order ${order.orderId} was already started with different content; order ids are single-use`,
        { cause: error },
      );
    }
    return { executionArn, started: false };
  }
}
