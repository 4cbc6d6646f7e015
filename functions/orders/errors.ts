/**
 * Domain errors of the order saga. Each class's `name` is exactly the error name Step Functions
 * sees (a Lambda function error's `errorType`), so `stacks/order-saga.asl.json` matches them in
 * `ErrorEquals` — rename one and the definition must change with it.
 *
 * Final errors (no retry): OrderInvalid, OrderAlreadyExists, OutOfStock, PaymentDeclined,
 * ShippingUnavailable. Transient (retried by the state machine): PaymentProviderUnavailable,
 * ReservationConflict.
 */

/** A field-level problem with an order, e.g. `{ field: "lines[2].quantity", message: "..." }`. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** The order is malformed or refers to something that does not exist; nothing was reserved. */
export class OrderInvalid extends Error {
  override name = "OrderInvalid";
  constructor(
    readonly issues: FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join("; "), options);
  }
}

/** An order with this id exists with different content (order ids are single-use). */
export class OrderAlreadyExists extends Error {
  override name = "OrderAlreadyExists";
}

/** The saga asked about an order that was never recorded. */
export class OrderNotFound extends Error {
  override name = "OrderNotFound";
}

/** At least one line cannot be reserved; the transaction reserved nothing. */
export class OutOfStock extends Error {
  override name = "OutOfStock";
  constructor(
    readonly skus: string[],
    options?: { cause?: unknown },
  ) {
    super(`Out of stock: ${skus.join(", ")}`, options);
  }
}

/** Another order touched the same stock at the same moment (DynamoDB TransactionConflict); retry. */
export class ReservationConflict extends Error {
  override name = "ReservationConflict";
}

/** The card was declined. Final: retrying will not help. */
export class PaymentDeclined extends Error {
  override name = "PaymentDeclined";
}

/** The payment provider could not be reached or failed transiently; nothing was charged. */
export class PaymentProviderUnavailable extends Error {
  override name = "PaymentProviderUnavailable";
}

/** The carrier cannot ship this order (e.g. an unsupported destination). Final. */
export class ShippingUnavailable extends Error {
  override name = "ShippingUnavailable";
}

/** The stored saga state contradicts the requested step (a bug or manual tampering). */
export class SagaStateConflict extends Error {
  override name = "SagaStateConflict";
}

/** The state machine passed a task an event of the wrong shape (a wiring bug, not a bad order). */
export class TaskInputInvalid extends Error {
  override name = "TaskInputInvalid";
}

/** No compensation of this order waits for an operator's retry (none failed, or it was retried). */
export class CompensationNotParked extends Error {
  override name = "CompensationNotParked";
}
