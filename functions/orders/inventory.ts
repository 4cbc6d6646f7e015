/**
 * Stock: reserving every line of an order at once (ReserveStock), releasing a reservation
 * (ReleaseStock, the compensation) and seeding the catalogue.
 *
 * Each SKU keeps three counters whose sum only changes by restocking: `available` (sellable),
 * `reserved` (held for orders in flight) and `shipped`. Every move between them happens in one
 * DynamoDB transaction together with the order's reservation item, whose status is the guard that
 * makes a move happen at most once: HELD → RELEASED | SHIPPED, SHIPPED → RETURNED. A release that
 * finds nothing reserved writes a RELEASED reservation holding nothing, so a reservation still on
 * its way (an earlier ReserveStock whose answer was lost: a timed-out invocation whose write lands
 * late, as after a DynamoDB outage) finds the order released and moves no stock.
 */
import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { OrderDeps } from "./deps.ts";
import { OutOfStock, ReservationConflict, SagaStateConflict } from "./errors.ts";
import { keys, type ReservationItem, type ReservationStatus, type StockItem } from "./model.ts";
import { getOrder } from "./orders.ts";

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]
>[number];

/** Adds a SKU to the catalogue with `available` units (tests, seeding, the local demo). */
export async function putStock(
  deps: OrderDeps,
  item: Omit<StockItem, "reserved" | "shipped"> & Partial<Pick<StockItem, "reserved" | "shipped">>,
): Promise<void> {
  await deps.db.send(
    new PutCommand({
      TableName: deps.table,
      Item: { ...keys.stock(item.sku), reserved: 0, shipped: 0, ...item },
    }),
  );
}

export async function getStock(deps: OrderDeps, sku: string): Promise<StockItem | undefined> {
  const { Item } = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: keys.stock(sku), ConsistentRead: true }),
  );
  return Item as StockItem | undefined;
}

export async function findReservation(
  deps: OrderDeps,
  orderId: string,
): Promise<ReservationItem | undefined> {
  const { Item } = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: keys.reservation(orderId), ConsistentRead: true }),
  );
  return Item as ReservationItem | undefined;
}

/** A counter move on one SKU, guarded so no counter goes negative. */
export function moveStock(
  table: string,
  sku: string,
  quantity: number,
  from: "available" | "reserved" | "shipped",
  to: "available" | "reserved" | "shipped",
): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: keys.stock(sku),
      UpdateExpression: "SET #from = #from - :q, #to = #to + :q",
      ConditionExpression: "#from >= :q",
      ExpressionAttributeNames: { "#from": from, "#to": to },
      ExpressionAttributeValues: { ":q": quantity },
    },
  };
}

/** A reservation status change, guarded by the status it must come from. */
export function moveReservation(
  table: string,
  orderId: string,
  from: ReservationStatus,
  to: ReservationStatus,
  at: string,
): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: keys.reservation(orderId),
      UpdateExpression: "SET #status = :to, updatedAt = :at",
      ConditionExpression: "#status = :from",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":from": from, ":to": to, ":at": at },
    },
  };
}

/**
 * Reserves every line of the order in one transaction: all lines or none. Repeating it returns
 * the existing reservation. Throws `OutOfStock` naming the short SKUs, or `ReservationConflict`
 * when a concurrent order touched the same SKUs (transient; the state machine retries).
 */
export async function reserveStock(
  deps: OrderDeps,
  orderId: string,
): Promise<{ orderId: string; status: ReservationStatus; lines: ReservationItem["lines"] }> {
  const order = await getOrder(deps, orderId);
  const lines = order.lines.map(({ sku, quantity }) => ({ sku, quantity }));
  const at = deps.now().toISOString();
  const reservation: ReservationItem = { orderId, status: "HELD", lines, at };
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          ...lines.map((l) => moveStock(deps.table, l.sku, l.quantity, "available", "reserved")),
          {
            Put: {
              TableName: deps.table,
              Item: { ...keys.reservation(orderId), ...reservation },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Update: {
              TableName: deps.table,
              Key: keys.order(orderId),
              UpdateExpression: "SET #status = :reserved, updatedAt = :at",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: { ":reserved": "RESERVED", ":at": at },
            },
          },
        ],
      }),
    );
    return { orderId, status: "HELD", lines };
  } catch (error) {
    const reasons = cancellationCodes(error);
    if (!reasons) throw error;
    if (reasons[lines.length] === "ConditionalCheckFailed") {
      // Already reserved by an earlier delivery of this step: answer with what is stored.
      const existing = await findReservation(deps, orderId);
      if (!existing) throw new ReservationConflict("Reservation vanished; retry", { cause: error });
      return { orderId, status: existing.status, lines: existing.lines };
    }
    const short = lines.filter((_, i) => reasons[i] === "ConditionalCheckFailed").map((l) => l.sku);
    if (short.length) throw new OutOfStock(short, { cause: error });
    throw new ReservationConflict(
      `Stock for order ${orderId} was contended (${reasons.join(", ")}); retry`,
      { cause: error },
    );
  }
}

/**
 * Gives back what the order holds: a HELD reservation returns to `available`; a SHIPPED one is a
 * parcel booked by a saga that then failed (e.g. its answer was lost and retries ran out), so the
 * parcel is cancelled and its units return to `available` too. Already released is a no-op;
 * nothing reserved leaves a RELEASED reservation of no lines behind (the module's comment says
 * why). Safe to repeat.
 */
export async function releaseStock(
  deps: OrderDeps,
  orderId: string,
): Promise<{ orderId: string; released: ReservationItem["lines"]; status?: ReservationStatus }> {
  const reservation = await findReservation(deps, orderId);
  if (!reservation) {
    const released: ReservationItem = {
      orderId,
      status: "RELEASED",
      lines: [],
      at: deps.now().toISOString(),
    };
    try {
      await deps.db.send(
        new PutCommand({
          TableName: deps.table,
          Item: { ...keys.reservation(orderId), ...released },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return { orderId, released: [], status: "RELEASED" };
    } catch (error) {
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      // The reservation landed meanwhile: release it.
      return releaseStock(deps, orderId);
    }
  }
  if (reservation.status === "RELEASED" || reservation.status === "RETURNED") {
    return { orderId, released: [], status: reservation.status };
  }
  const at = deps.now().toISOString();
  const shipped = reservation.status === "SHIPPED";
  if (shipped) await deps.carrier.cancelShipment(orderId);
  const items: TransactItem[] = [
    ...reservation.lines.map((l) =>
      moveStock(deps.table, l.sku, l.quantity, shipped ? "shipped" : "reserved", "available"),
    ),
    moveReservation(deps.table, orderId, reservation.status, shipped ? "RETURNED" : "RELEASED", at),
  ];
  if (shipped) {
    items.push({
      Update: {
        TableName: deps.table,
        Key: keys.shipment(orderId),
        UpdateExpression: "SET #status = :cancelled, updatedAt = :at",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":cancelled": "CANCELLED", ":at": at },
      },
    });
  }
  try {
    await deps.db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const reasons = cancellationCodes(error);
    if (!reasons) throw error;
    const now = await findReservation(deps, orderId);
    if (now && now.status !== reservation.status) {
      // A concurrent delivery of this compensation got there first.
      return { orderId, released: [], status: now.status };
    }
    if (reasons.includes("TransactionConflict")) {
      throw new ReservationConflict(`Releasing stock of ${orderId} was contended; retry`, {
        cause: error,
      });
    }
    throw new SagaStateConflict(
      `Stock counters of order ${orderId} do not hold its reservation (${reasons.join(", ")})`,
      { cause: error },
    );
  }
  return { orderId, released: reservation.lines, status: shipped ? "RETURNED" : "RELEASED" };
}

/** The per-item cancellation codes of a cancelled transaction, or undefined for other errors. */
export function cancellationCodes(error: unknown): string[] | undefined {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e?.name !== "TransactionCanceledException") return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? "None");
}
