/**
 * Shipping (ShipOrder): books the parcel with the carrier, then, in one transaction, moves the
 * reserved units to `shipped`, marks the reservation SHIPPED, records the shipment and the order's
 * status. The carrier is asked first because it is the step that can refuse (ShippingUnavailable);
 * it is keyed by the order id, so asking again after a lost answer books no second parcel.
 */
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { OrderDeps } from "./deps.ts";
import { ReservationConflict, SagaStateConflict } from "./errors.ts";
import { cancellationCodes, moveReservation, moveStock } from "./inventory.ts";
import { keys } from "./model.ts";
import { readOrderRecords, requireOrder } from "./order-records.ts";

export interface ShipmentResult {
  orderId: string;
  carrier: string;
  trackingNumber: string;
}

export async function findShipment(
  deps: OrderDeps,
  orderId: string,
): Promise<(ShipmentResult & { status: string }) | undefined> {
  const { Item } = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: keys.shipment(orderId), ConsistentRead: true }),
  );
  return Item as (ShipmentResult & { status: string }) | undefined;
}

/** Ships the order's reserved units once; repeating returns the recorded shipment. */
export async function shipOrder(deps: OrderDeps, orderId: string): Promise<ShipmentResult> {
  const records = await readOrderRecords(deps, orderId);
  const { reservation } = records;
  if (reservation?.status === "SHIPPED") return recorded(orderId, records.shipment);
  if (reservation?.status !== "HELD") {
    throw new SagaStateConflict(
      `Order ${orderId} has no held reservation to ship (reservation: ${reservation?.status ?? "none"})`,
    );
  }
  const order = requireOrder(records, orderId);
  const parcel = await deps.carrier.createShipment({
    key: orderId,
    country: order.shipping.country,
    items: reservation.lines,
  });
  const at = deps.now().toISOString();
  const shipment: ShipmentResult & { status: string; at: string } = {
    orderId,
    ...parcel,
    status: "BOOKED",
    at,
  };
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          moveReservation(deps.table, orderId, "HELD", "SHIPPED", at),
          ...reservation.lines.map((l) =>
            moveStock(deps.table, l.sku, l.quantity, "reserved", "shipped"),
          ),
          {
            Put: {
              TableName: deps.table,
              Item: { ...keys.shipment(orderId), ...shipment },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Update: {
              TableName: deps.table,
              Key: keys.order(orderId),
              UpdateExpression: "SET #status = :shipped, updatedAt = :at",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: { ":shipped": "SHIPPED", ":at": at },
            },
          },
        ],
      }),
    );
  } catch (error) {
    const reasons = cancellationCodes(error);
    if (!reasons) throw error;
    const after = await readOrderRecords(deps, orderId);
    const now = after.reservation;
    if (now?.status === "SHIPPED") return recorded(orderId, after.shipment);
    if (now?.status === "HELD" && reasons.includes("TransactionConflict")) {
      throw new ReservationConflict(`Shipping order ${orderId} was contended; retry`, {
        cause: error,
      });
    }
    throw new SagaStateConflict(
      `Shipping order ${orderId} did not commit (${reasons.join(", ")}); reservation is ${now?.status ?? "gone"}`,
      { cause: error },
    );
  }
  return { orderId, carrier: parcel.carrier, trackingNumber: parcel.trackingNumber };
}

/** The answer of a step that finds the order already shipped. */
function recorded(orderId: string, shipment: ShipmentResult | undefined): ShipmentResult {
  if (!shipment) throw new SagaStateConflict(`Order ${orderId} is shipped but has no shipment`);
  return { orderId, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber };
}
