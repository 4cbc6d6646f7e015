/**
 * ShipOrder: books the parcel and moves the reserved units to shipped (ShippingUnavailable is final
 * and triggers the refund path).
 */
import * as z from "zod";
import { sagaHandler } from "./orders/saga-handler.ts";
import { shipOrder } from "./orders/shipping.ts";

export const handler = sagaHandler({
  step: "ship",
  schema: z.object({ orderId: z.string().min(1) }),
  run: (deps, { orderId }) => shipOrder(deps, orderId),
});
