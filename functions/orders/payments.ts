/**
 * Payments: charging an order (ChargePayment) and refunding it (RefundPayment), with a ledger of
 * at most one CHARGE and one REFUND entry per order (conditional puts). The provider is keyed by
 * `<orderId>#charge`, so a retried or duplicated charge never moves money twice, and a refund can
 * find a charge whose response was lost before the ledger heard of it.
 */
import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { OrderDeps } from "./deps.ts";
import { cancellationCodes } from "./inventory.ts";
import { keys, type LedgerEntry, toDecimal } from "./model.ts";
import { readOrderRecords, requireOrder } from "./order-records.ts";

/** The provider key of an order's charge. */
export const chargeKey = (orderId: string) => `${orderId}#charge`;

export interface ChargeResult {
  orderId: string;
  chargeId: string;
  amount: number;
  currency: string;
}

export async function findLedgerEntry(
  deps: OrderDeps,
  orderId: string,
  kind: "CHARGE" | "REFUND",
): Promise<LedgerEntry | undefined> {
  const { Item } = await deps.db.send(
    new GetCommand({
      TableName: deps.table,
      Key: kind === "CHARGE" ? keys.charge(orderId) : keys.refund(orderId),
      ConsistentRead: true,
    }),
  );
  return Item as LedgerEntry | undefined;
}

/**
 * Charges the order's total once. Throws `PaymentDeclined` (final) or
 * `PaymentProviderUnavailable` (retry) from the provider; nothing is recorded then.
 */
export async function chargeOrder(deps: OrderDeps, orderId: string): Promise<ChargeResult> {
  const records = await readOrderRecords(deps, orderId);
  if (records.charge) return chargeResult(records.charge);
  const order = requireOrder(records, orderId);
  const charge = await deps.payments.charge({
    key: chargeKey(orderId),
    amountMinor: order.totalMinor,
    currency: order.currency,
    paymentMethod: order.payment.method,
  });
  const at = deps.now().toISOString();
  const entry: LedgerEntry = {
    orderId,
    kind: "CHARGE",
    amountMinor: charge.amountMinor,
    currency: charge.currency,
    providerRef: charge.chargeId,
    at,
  };
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: deps.table,
              Item: { ...keys.charge(orderId), ...entry },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Update: {
              TableName: deps.table,
              Key: keys.order(orderId),
              UpdateExpression: "SET #status = :charged, updatedAt = :at",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: { ":charged": "CHARGED", ":at": at },
            },
          },
        ],
      }),
    );
  } catch (error) {
    const reasons = cancellationCodes(error);
    if (reasons?.[0] !== "ConditionalCheckFailed") throw error;
    const existing = await findLedgerEntry(deps, orderId, "CHARGE");
    if (existing) return chargeResult(existing);
    throw error;
  }
  return chargeResult(entry);
}

/**
 * Refunds the order's charge in full, at most once. When the ledger has no charge it asks the
 * provider (a charge whose answer was lost); when neither knows one, nothing was charged and
 * nothing is refunded.
 */
export async function refundOrder(
  deps: OrderDeps,
  orderId: string,
): Promise<{ orderId: string; refunded: boolean; refundId?: string; amount?: number }> {
  const { refund: done, charge: charged } = await readOrderRecords(deps, orderId);
  if (done) {
    return {
      orderId,
      refunded: true,
      refundId: done.providerRef,
      amount: toDecimal(done.amountMinor),
    };
  }
  let charge = charged;
  const at = deps.now().toISOString();
  if (!charge) {
    const found = await deps.payments.findCharge(chargeKey(orderId));
    if (!found) return { orderId, refunded: false };
    // Reconcile the ledger with the provider before undoing, so charge and refund pair up.
    charge = {
      orderId,
      kind: "CHARGE",
      amountMinor: found.amountMinor,
      currency: found.currency,
      providerRef: found.chargeId,
      at,
    };
    await putOnce(deps, { ...keys.charge(orderId), ...charge });
  }
  const { refundId } = await deps.payments.refund({
    chargeKey: chargeKey(orderId),
    chargeId: charge.providerRef,
    amountMinor: charge.amountMinor,
  });
  await putOnce(deps, {
    ...keys.refund(orderId),
    orderId,
    kind: "REFUND",
    amountMinor: charge.amountMinor,
    currency: charge.currency,
    providerRef: refundId,
    at,
  } satisfies LedgerEntry & { pk: string; sk: string });
  return { orderId, refunded: true, refundId, amount: toDecimal(charge.amountMinor) };
}

async function putOnce(deps: OrderDeps, item: Record<string, unknown>): Promise<void> {
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.table,
        Item: item,
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  } catch (error) {
    if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
  }
}

function chargeResult(entry: LedgerEntry): ChargeResult {
  return {
    orderId: entry.orderId,
    chargeId: entry.providerRef,
    amount: toDecimal(entry.amountMinor),
    currency: entry.currency,
  };
}
