/**
 * Orders for the dashboard, newest first, read from the single table through the index that
 * functions/orders maintains (`gsi1pk = ORDERS`, `gsi1sk = <createdAt>#<orderId>`; order items are
 * `pk = ORDER#<id>`, `sk = ORDER`). Stops at a fixed number of orders.
 */
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import { Hono } from "hono";
import * as z from "zod";
import { valid } from "../validation.ts";

const MAX_ORDERS = 1000;
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(MAX_ORDERS).default(200) });

export function orderRoutes(db: DynamoDBDocumentClient, table: string): Hono {
  const app = new Hono();
  app.get("/api/orders", valid("query", listQuery), async (c) => {
    const { limit } = c.req.valid("query");
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await db.send(
        new QueryCommand({
          TableName: table,
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
    return c.json({ items });
  });
  return app;
}
