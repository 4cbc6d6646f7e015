/**
 * NotifyCustomer: emails the customer that the order shipped (and marks it COMPLETED) or that it
 * failed, with the reason. One email per order and kind.
 */
import * as z from "zod";
import { notifyCustomer } from "./orders/notifications.ts";
import { sagaHandler } from "./orders/saga-handler.ts";

export const handler = sagaHandler({
  step: "notify",
  schema: z.object({ orderId: z.string().min(1), kind: z.enum(["completed", "failed"]) }),
  key: ({ orderId, kind }) => `${orderId}#notify-${kind}`,
  run: (deps, { orderId, kind }) => notifyCustomer(deps, orderId, kind),
});
