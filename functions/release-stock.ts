/**
 * ReleaseStock (compensation): returns whatever the order holds to available stock; a no-op when
 * nothing is held.
 */
import * as z from "zod";
import { releaseStock } from "./orders/inventory.ts";
import { sagaHandler } from "./orders/saga-handler.ts";

export const handler = sagaHandler({
  step: "release",
  schema: z.object({ orderId: z.string().min(1) }),
  run: (deps, { orderId }) => releaseStock(deps, orderId),
});
