/**
 * Orders newest first, through the index the saga maintains (`gsi1pk = ORDERS`,
 * `gsi1sk = <createdAt>#<orderId>`). Its own module, importing only Query, so code that lists
 * orders (the API, the CLI) needs no write permission on the table.
 */
import { QueryCommand, type QueryCommandOutput } from "@aws-sdk/lib-dynamodb";
import type { OrderDeps } from "./deps.ts";
import type { OrderItem } from "./model.ts";

export type OrderListItem = Pick<
  OrderItem,
  | "orderId"
  | "status"
  | "total"
  | "currency"
  | "customer"
  | "createdAt"
  | "updatedAt"
  | "failureReason"
>;

/** Up to `limit` orders, newest first, following pages until the limit or the end. */
export async function listOrders(
  deps: Pick<OrderDeps, "db" | "table">,
  limit = 100,
): Promise<OrderListItem[]> {
  const items: OrderListItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await deps.db.send(
      new QueryCommand({
        TableName: deps.table,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :orders",
        ExpressionAttributeValues: { ":orders": "ORDERS" },
        ScanIndexForward: false,
        Limit: limit - items.length,
        ExclusiveStartKey: start,
      }),
    );
    for (const o of page.Items ?? []) {
      items.push({
        orderId: o.orderId ?? String(o.pk).slice("ORDER#".length),
        status: o.status,
        total: o.total,
        currency: o.currency,
        customer: o.customer,
        createdAt: o.createdAt,
        updatedAt: o.updatedAt,
        ...(o.failureReason ? { failureReason: o.failureReason } : {}),
      });
    }
    start = page.LastEvaluatedKey;
  } while (start && items.length < limit);
  return items;
}
