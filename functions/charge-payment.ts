/**
 * ChargePayment: charges the order's total once (PaymentDeclined is final; PaymentProviderUnavailable
 * is retried by the state machine).
 */
import * as z from "zod";
import { chargeOrder } from "./orders/payments.ts";
import { sagaHandler } from "./orders/saga-handler.ts";

export const handler = sagaHandler({
  step: "charge",
  schema: z.object({ orderId: z.string().min(1) }),
  run: (deps, { orderId }) => chargeOrder(deps, orderId),
});
