/**
 * The saga's Lambda handlers by function name, for whoever runs them in-process:
 * the local platform registers these with the runtime, the tests with theirs. RequestApproval is
 * the approval API's (functions/request-approval.ts) and is registered by its owner.
 */
import { handler as chargePayment } from "../charge-payment.ts";
import { handler as markOrderFailed } from "../mark-order-failed.ts";
import { handler as notifyCustomer } from "../notify-customer.ts";
import { handler as refundPayment } from "../refund-payment.ts";
import { handler as releaseStock } from "../release-stock.ts";
import { handler as reserveStock } from "../reserve-stock.ts";
import { handler as shipOrder } from "../ship-order.ts";
import { handler as validateOrder } from "../validate-order.ts";
import type { SagaFunction } from "./saga-definition.ts";
import type { SagaHandler } from "./saga-handler.ts";

/** Every saga function except RequestApproval, keyed by its SST / local function name. */
export const sagaHandlers: Record<
  Exclude<SagaFunction, "RequestApproval">,
  SagaHandler<unknown>
> = {
  ValidateOrder: validateOrder,
  ReserveStock: reserveStock,
  ChargePayment: chargePayment,
  ShipOrder: shipOrder,
  NotifyCustomer: notifyCustomer,
  RefundPayment: refundPayment,
  ReleaseStock: releaseStock,
  MarkOrderFailed: markOrderFailed,
};
