/**
 * Orders: validating and recording a new order (ValidateOrder), marking it failed
 * (MarkOrderFailed) or completed, and reading orders back for the API and the tests.
 */
import { createHash } from "node:crypto";
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type * as z from "zod";
import { approvalTimeoutProblem } from "../shared/approval-timeout.ts";
import { CARD_NUMBER_REFUSAL, findCardNumber } from "../shared/card-numbers.ts";
import type { OrderDeps } from "./deps.ts";

export { listOrders, type OrderListItem } from "./order-list.ts";

import { type FieldIssue, OrderAlreadyExists, OrderInvalid, OrderNotFound } from "./errors.ts";
import {
  DEFAULT_APPROVAL_THRESHOLD,
  DEFAULT_APPROVAL_TIMEOUT_SECONDS,
  DEFAULT_DUAL_APPROVAL_THRESHOLD,
  keys,
  MAX_ORDER_BYTES,
  type OrderItem,
  type OrderLine,
  type OrderStatus,
  type OrderSummary,
  orderInputSchema,
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
  const text = JSON.stringify(raw ?? null);
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_ORDER_BYTES) {
    throw new OrderInvalid([
      { field: "(order)", message: `is ${bytes} bytes; the limit is ${MAX_ORDER_BYTES} (256 KiB)` },
    ]);
  }
  // First, so a card number is refused as what it is, and is never stored (not even as a reason).
  const card = findCardNumber(raw);
  if (card)
    throw new OrderInvalid([{ field: card.field || "(order)", message: CARD_NUMBER_REFUSAL }]);
  const parsed = orderInputSchema.safeParse(raw);
  if (!parsed.success) throw new OrderInvalid(parsed.error.issues.map(toFieldIssue));
  const input = parsed.data;
  // Decided before anything is stored, so an order with an impossible wait is refused whole.
  const approval = approvalOf(input, settings);

  const issues: FieldIssue[] = [];
  const firstIndex = new Map<string, number>();
  input.lines.forEach((line, i) => {
    const first = firstIndex.get(line.sku);
    if (first !== undefined) {
      issues.push({
        field: `lines[${i}].sku`,
        message: `"${line.sku}" repeats lines[${first}]; merge the quantities into one line`,
      });
    } else firstIndex.set(line.sku, i);
  });
  if (issues.length) throw new OrderInvalid(issues);

  const stock = await getStockItems(deps, [...firstIndex.keys()]);
  const lines: OrderLine[] = [];
  input.lines.forEach((line, i) => {
    const item = stock.get(line.sku);
    if (!item) {
      issues.push({ field: `lines[${i}].sku`, message: `unknown SKU "${line.sku}"` });
      return;
    }
    if (item.currency !== input.currency) {
      issues.push({
        field: "currency",
        message: `is ${input.currency} but SKU "${line.sku}" is priced in ${item.currency}; order in ${item.currency}`,
      });
      return;
    }
    lines.push({
      sku: line.sku,
      name: item.name,
      quantity: line.quantity,
      unitPriceMinor: item.unitPriceMinor,
      unitPrice: toDecimal(item.unitPriceMinor),
    });
  });
  if (issues.length) throw new OrderInvalid(issues);

  const totalMinor = lines.reduce((sum, l) => sum + l.unitPriceMinor * l.quantity, 0);
  const at = deps.now().toISOString();
  const inputHash = createHash("sha256").update(text).digest("hex");
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

function toFieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  const field =
    issue.path
      .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`))
      .join("") || "(order)";
  const message = /received undefined$/.test(issue.message) ? "required" : issue.message;
  return { field, message };
}

/** Stock items by SKU (missing SKUs are absent from the map). */
export async function getStockItems(
  deps: Pick<OrderDeps, "db" | "table">,
  skus: string[],
): Promise<Map<string, StockItem>> {
  const found = new Map<string, StockItem>();
  const pending: Record<string, unknown>[] = skus.map((sku) => keys.stock(sku));
  while (pending.length) {
    const { Responses, UnprocessedKeys } = await deps.db.send(
      new BatchGetCommand({
        RequestItems: { [deps.table]: { Keys: pending.splice(0, 100), ConsistentRead: true } },
      }),
    );
    for (const item of Responses?.[deps.table] ?? []) found.set(item.sku, item as StockItem);
    pending.push(...((UnprocessedKeys?.[deps.table]?.Keys as Record<string, unknown>[]) ?? []));
  }
  return found;
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
