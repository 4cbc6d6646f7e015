/**
 * Why an order failed, in words for its customer. The saga records the technical cause for
 * operators ("ShipOrder failed: The carrier does not ship to ZZ", the error name, the step: the
 * dashboard and `orders show` keep showing those); the customer reads a plain sentence chosen from
 * the error's name, never a step name, a provider's code or an approver's address.
 */

/** What the order record keeps of a failure (orders.ts, markOrderFailed). */
export interface RecordedFailure {
  /** The execution's error name (`OutOfStock`, `PaymentDeclined`, `ApprovalRejected`, …). */
  failureError?: string;
}

/** The plain reason for each error a customer's order can end with. */
const REASONS: Record<string, string> = {
  OrderInvalid: "some details of the order were missing or not valid",
  OutOfStock: "some of the items you ordered are out of stock",
  PaymentDeclined: "your payment method was declined",
  PaymentProviderUnavailable: "we could not reach our payment provider",
  ShippingUnavailable: "we cannot deliver to the shipping address you gave",
  ApprovalRejected: "we could not accept the order after reviewing it",
  ApprovalTimedOut: "we could not review the order in time",
};

/** Anything else (a bug, an outage): said without detail, which stays with the operators. */
const SOMETHING_WENT_WRONG = "of a problem on our side";

/** The reason as the end of "we could not complete your order … because …". */
export function customerReason(failure: RecordedFailure): string {
  const reason = failure.failureError ? REASONS[failure.failureError] : undefined;
  return reason ?? SOMETHING_WENT_WRONG;
}
