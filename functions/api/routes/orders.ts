/**
 * Orders for the dashboard, read from the single table (order items are `pk = ORDER#<id>`,
 * `sk = ORDER`, written by functions/orders). A scan suits the local and demo scale this view
 * serves; it stops at a fixed number of items.
 */
import {
  type DynamoDBDocumentClient,
  ScanCommand,
  type ScanCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import { Hono } from "hono";

const MAX_ORDERS = 1000;

export function orderRoutes(db: DynamoDBDocumentClient, table: string): Hono {
  const app = new Hono();
  app.get("/api/orders", async (c) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page: ScanCommandOutput = await db.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: "sk = :order AND begins_with(pk, :prefix)",
          ExpressionAttributeValues: { ":order": "ORDER", ":prefix": "ORDER#" },
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
    } while (start && items.length < MAX_ORDERS);
    items.sort((a, b) => String(b.createdAt ?? "").localeCompare(String(a.createdAt ?? "")));
    return c.json({ items: items.slice(0, MAX_ORDERS) });
  });
  return app;
}
