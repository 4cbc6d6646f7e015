/**
 * ReserveStock: reserves every line of the order in one DynamoDB transaction — all or nothing;
 * OutOfStock names the short SKUs.
 */
import * as z from "zod";
import { reserveStock } from "./orders/inventory.ts";
import { sagaHandler } from "./orders/saga-handler.ts";

export const handler = sagaHandler({
  step: "reserve",
  schema: z.object({ orderId: z.string().min(1) }),
  run: (deps, { orderId }) => reserveStock(deps, orderId),
});
