/**
 * RefundPayment (compensation): refunds the order's charge at most once; a no-op when nothing was
 * charged.
 */
import * as z from "zod";
import { refundOrder } from "./orders/payments.ts";
import { sagaHandler } from "./orders/saga-handler.ts";

export const handler = sagaHandler({
  step: "refund",
  schema: z.object({ orderId: z.string().min(1) }),
  run: (deps, { orderId }) => refundOrder(deps, orderId),
});
