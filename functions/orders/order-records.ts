/**
 * Everything stored about one order, read with one strongly consistent Query of its partition
 * (`ORDER#<orderId>`): the order, its reservation, its ledger entries and its shipment. A step that
 * needs two of them makes one round trip instead of two.
 */
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { OrderDeps } from "./deps.ts";
import { OrderNotFound } from "./errors.ts";
import { keys, type LedgerEntry, type OrderItem, type ReservationItem } from "./model.ts";

/** The shipment item (`ORDER#<id>` / `SHIPMENT`). */
export interface ShipmentItem {
  orderId: string;
  carrier: string;
  trackingNumber: string;
  status: string;
  at: string;
}

export interface OrderRecords {
  order?: OrderItem;
  reservation?: ReservationItem;
  charge?: LedgerEntry;
  refund?: LedgerEntry;
  shipment?: ShipmentItem;
}

/** Sort key → field of {@link OrderRecords}. */
const FIELD_OF_SK: Record<string, keyof OrderRecords> = {
  [keys.order("").sk]: "order",
  [keys.reservation("").sk]: "reservation",
  [keys.charge("").sk]: "charge",
  [keys.refund("").sk]: "refund",
  [keys.shipment("").sk]: "shipment",
};

export async function readOrderRecords(deps: OrderDeps, orderId: string): Promise<OrderRecords> {
  const out: Record<string, unknown> = {};
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.order(orderId).pk },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const field = FIELD_OF_SK[String(item.sk)];
      if (field) out[field] = item;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return out as OrderRecords;
}

/** The order of `records`, or `OrderNotFound` (ValidateOrder never recorded it). */
export function requireOrder(records: OrderRecords, orderId: string): OrderItem {
  if (!records.order)
    throw new OrderNotFound(`Order ${orderId} was never recorded (ValidateOrder did not run)`);
  return records.order;
}
