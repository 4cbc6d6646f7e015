/**
 * Orders for the dashboard, newest first, read from the single table through the index that
 * functions/orders maintains (`gsi1pk = ORDERS`, `gsi1sk = <createdAt>#<orderId>`; order items are
 * `pk = ORDER#<id>`, `sk = ORDER`). Stops at a fixed number of orders.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Hono } from "hono";
import * as z from "zod";
import { listOrders } from "../../orders/order-list.ts";
import { valid } from "../validation.ts";

const MAX_ORDERS = 1000;
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(MAX_ORDERS).default(200) });

export function orderRoutes(db: DynamoDBDocumentClient, table: string) {
  return new Hono().get("/api/orders", valid("query", listQuery), async (c) => {
    const { limit } = c.req.valid("query");
    const items = await listOrders({ db, table }, limit);
    return c.json({ items });
  });
}
