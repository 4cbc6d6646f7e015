/**
 * Orders: validating and recording a new order (ValidateOrder), marking it failed
 * (MarkOrderFailed) or completed, and reading orders back for the API and the tests.
 */
import { createHash } from "node:crypto";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { approvalTimeoutProblem } from "../shared/approval-timeout.ts";
import type { OrderDeps } from "./deps.ts";
import { checkOrder } from "./order-check.ts";

export { checkOrder, getStockItems, type OrderCheck } from "./order-check.ts";
export { listOrders, type OrderListItem } from "./order-list.ts";

import { OrderAlreadyExists, OrderInvalid, OrderNotFound } from "./errors.ts";
import {
  DEFAULT_APPROVAL_THRESHOLD,
  DEFAULT_APPROVAL_TIMEOUT_SECONDS,
  DEFAULT_DUAL_APPROVAL_THRESHOLD,
  keys,
  type OrderItem,
  type OrderLine,
  type OrderStatus,
  type OrderSummary,
  type StockItem,
  summarize,
  toDecimal,
} from "./model.ts";

/** Business settings that may come from the linked `Settings` resource. */
export interface ApprovalSettings {
  approvalThreshold?: number;
  dualApprovalThreshold?: number;
  approvalTimeoutSeconds?: number;
  maxApprovalTimeoutSeconds?: number;
}

/** ValidateOrder's result: what the state machine carries and how to decide on approval. */
export interface ValidatedOrder {
  order: OrderSummary;
  /** When the saga asks for approval, how many approvals it needs (M of N), and how long it waits. */
  approval: { threshold: number; required: number; timeoutSeconds: number };
}

/**
 * Validates an order against its schema and the catalogue, prices it, and records it with status
 * RECEIVED. Refuses bad input with `OrderInvalid` naming every field at fault; nothing is written
 * then. Repeating it with the same content is a no-op; reusing an id for different content is
 * `OrderAlreadyExists`.
 */
export async function validateOrder(
  deps: OrderDeps,
  raw: unknown,
  settings: ApprovalSettings = {},
): Promise<ValidatedOrder> {
  // The same check a client runs before it starts the saga (order-check.ts); nothing is written
  // unless it passes.
  const checked = await checkOrder(deps, raw);
  if (!checked.ok) throw new OrderInvalid(checked.issues);
  const { input, stock } = checked;
  // Decided before anything is stored, so an order with an impossible wait is refused whole.
  const approval = approvalOf(input, settings);
  const lines: OrderLine[] = input.lines.map((line) => {
    const item = stock.get(line.sku) as StockItem;
    return {
      sku: line.sku,
      name: item.name,
      quantity: line.quantity,
      unitPriceMinor: item.unitPriceMinor,
      unitPrice: toDecimal(item.unitPriceMinor),
    };
  });

  const totalMinor = lines.reduce((sum, l) => sum + l.unitPriceMinor * l.quantity, 0);
  const at = deps.now().toISOString();
  const inputHash = createHash("sha256")
    .update(JSON.stringify(raw ?? null))
    .digest("hex");
  const order: OrderItem = {
    orderId: input.orderId,
    status: "RECEIVED",
    customer: input.customer,
    currency: input.currency,
    lines,
    total: toDecimal(totalMinor),
    totalMinor,
    payment: input.payment,
    shipping: input.shipping,
    inputHash,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.table,
        Item: { ...keys.order(order.orderId), ...keys.orderIndex(at, order.orderId), ...order },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  } catch (error) {
    if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
    const existing = await findOrder(deps, order.orderId);
    if (existing?.inputHash !== inputHash) {
      throw new OrderAlreadyExists(
        `Order ${order.orderId} already exists with different content; order ids are single-use`,
      );
    }
    return withQuorum(summarize(existing), approval, settings);
  }
  return withQuorum(summarize(order), approval, settings);
}

/** Two approvals above the dual threshold (Settings.dualApprovalThreshold, default 10,000), else one. */
function withQuorum(
  order: OrderSummary,
  approval: Omit<ValidatedOrder["approval"], "required">,
  settings: ApprovalSettings,
): ValidatedOrder {
  const dual = settings.dualApprovalThreshold ?? DEFAULT_DUAL_APPROVAL_THRESHOLD;
  return { order, approval: { ...approval, required: order.total > dual ? 2 : 1 } };
}

/**
 * The approval threshold and timeout of an order: its own (tests, demos), else the settings'.
 * A timeout past the settings' limit (30 days by default) is `OrderInvalid`.
 */
function approvalOf(
  input: { approvalThreshold?: number; approvalTimeoutSeconds?: number },
  settings: ApprovalSettings,
): Omit<ValidatedOrder["approval"], "required"> {
  const timeoutSeconds =
    input.approvalTimeoutSeconds ??
    settings.approvalTimeoutSeconds ??
    DEFAULT_APPROVAL_TIMEOUT_SECONDS;
  const problem = approvalTimeoutProblem(timeoutSeconds, settings);
  if (problem) {
    const field =
      input.approvalTimeoutSeconds === undefined
        ? "Settings.approvalTimeoutSeconds"
        : "approvalTimeoutSeconds";
    throw new OrderInvalid([{ field, message: `is ${timeoutSeconds}; it ${problem}` }]);
  }
  return {
    threshold: input.approvalThreshold ?? settings.approvalThreshold ?? DEFAULT_APPROVAL_THRESHOLD,
    timeoutSeconds,
  };
}

/** The order, or undefined. Strongly consistent: the saga reads its own writes. */
export async function findOrder(deps: OrderDeps, orderId: string): Promise<OrderItem | undefined> {
  const { Item } = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: keys.order(orderId), ConsistentRead: true }),
  );
  return Item as OrderItem | undefined;
}

/** The order, or `OrderNotFound`. */
export async function getOrder(deps: OrderDeps, orderId: string): Promise<OrderItem> {
  const order = await findOrder(deps, orderId);
  if (!order)
    throw new OrderNotFound(`Order ${orderId} was never recorded (ValidateOrder did not run)`);
  return order;
}

/** What went wrong, as the state machine's Catch saw it (`$states.errorOutput` plus the step). */
export interface SagaFailure {
  step: string;
  error: string;
  cause?: string;
}

/**
 * Marks the order FAILED with a human reason derived from the failure, creating a minimal record
 * when validation never stored one. Returns the error name and reason the execution fails with.
 */
export async function markOrderFailed(
  deps: OrderDeps,
  orderId: string,
  failure: SagaFailure,
): Promise<{ orderId: string; error: string; reason: string }> {
  const { error, reason } = describeFailure(failure);
  const at = deps.now().toISOString();
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.table,
      Key: keys.order(orderId),
      UpdateExpression:
        "SET #status = :failed, failureReason = :reason, failureError = :error, updatedAt = :at, orderId = :id, createdAt = if_not_exists(createdAt, :at), gsi1pk = if_not_exists(gsi1pk, :gpk), gsi1sk = if_not_exists(gsi1sk, :gsk)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":failed": "FAILED" satisfies OrderStatus,
        ":reason": reason,
        ":error": error,
        ":at": at,
        ":id": orderId,
        ":gpk": "ORDERS",
        ":gsk": `${at}#${orderId}`,
      },
    }),
  );
  return { orderId, error, reason };
}

/** Turns a caught error into the execution's error name and a sentence for people. */
export function describeFailure(failure: SagaFailure): { error: string; reason: string } {
  const message = lambdaMessage(failure.cause);
  if (failure.error === "States.Timeout" && failure.step === "RequestApproval") {
    return { error: "ApprovalTimedOut", reason: "Approval timed out: nobody decided in time" };
  }
  if (failure.error === "ApprovalRejected") {
    const decision = parseJson(failure.cause) as { by?: string; comment?: string } | undefined;
    const by = decision?.by ? ` by ${decision.by}` : "";
    const comment = decision?.comment ? `: ${decision.comment}` : "";
    return { error: "ApprovalRejected", reason: `Approval rejected${by}${comment}` };
  }
  const reason = message || failure.error;
  return { error: failure.error, reason: `${failure.step} failed: ${reason}` };
}

/** A Lambda error's Cause is JSON `{errorType, errorMessage, trace}`; others are plain text. */
function lambdaMessage(cause: string | undefined): string {
  const parsed = parseJson(cause) as { errorMessage?: unknown } | undefined;
  if (parsed && typeof parsed.errorMessage === "string") return parsed.errorMessage;
  return cause ?? "";
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Marks a shipped order COMPLETED (after the customer was told). */
export async function completeOrder(deps: OrderDeps, orderId: string): Promise<void> {
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.table,
        Key: keys.order(orderId),
        UpdateExpression: "SET #status = :done, updatedAt = :at",
        ConditionExpression: "#status IN (:shipped, :done)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":done": "COMPLETED",
          ":shipped": "SHIPPED",
          ":at": deps.now().toISOString(),
        },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
    throw new OrderNotFound(`Order ${orderId} is not shipped; it cannot be completed`);
  }
}
