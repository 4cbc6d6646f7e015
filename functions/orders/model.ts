/**
 * The order saga's data model: item keys in the single table, the order input schema, and the
 * stored shapes. See README.md in this folder for the whole picture and the reasons.
 */
import * as z from "zod";

/**
 * At most this many lines per order. Reserving is one TransactWriteItems of (lines + 2) items and
 * shipping one of (lines + 3); DynamoDB allows 100 items per transaction, so 50 keeps clear
 * headroom and still fits any realistic basket.
 */
export const MAX_LINES = 50;
/** Step Functions' payload limit; an order that cannot travel through the saga is refused. */
export const MAX_ORDER_BYTES = 256 * 1024;
export const CURRENCIES = ["EUR", "USD", "GBP"] as const;
export type Currency = (typeof CURRENCIES)[number];
/** Orders above this total (in the order's currency) need approval unless input or Settings say otherwise. */
export const DEFAULT_APPROVAL_THRESHOLD = 1000;
/** Orders above this total need two approvals unless Settings say otherwise. */
export const DEFAULT_DUAL_APPROVAL_THRESHOLD = 10_000;
export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 24 * 60 * 60;

/** Item keys. Everything about one order lives in its partition, so one Query reads it all. */
export const keys = {
  order: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: "ORDER" }),
  reservation: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: "RESERVATION" }),
  charge: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: "PAYMENT#CHARGE" }),
  refund: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: "PAYMENT#REFUND" }),
  shipment: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: "SHIPMENT" }),
  stock: (sku: string) => ({ pk: `SKU#${sku}`, sk: "STOCK" }),
  /** Orders listed newest first on the dashboard: gsi1pk is constant, gsi1sk sorts by time. */
  orderIndex: (createdAt: string, orderId: string) => ({
    gsi1pk: "ORDERS",
    gsi1sk: `${createdAt}#${orderId}`,
  }),
} as const;

/** Execution names allow 1–80 of these characters; the order id is the execution name. */
const orderIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]{1,80}$/,
    "use 1–80 letters, digits, '-' or '_' (it is the execution name)",
  );

/**
 * Objects that refuse fields they do not define: an order carries exactly what the saga's steps
 * need (the execution input is kept in the history), so a stray field — a phone number, a card —
 * is an error naming it rather than personal data silently carried along.
 */
function exact<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `has ${issue.keys.length === 1 ? "a field" : "fields"} an order does not take (${issue.keys.join(", ")}): remove ${issue.keys.length === 1 ? "it" : "them"}`
        : undefined,
  });
}

/** A payment-method token of the payment provider (`pm_card_visa`); never a card number. */
export const PAYMENT_METHOD = /^pm_[A-Za-z0-9_]{1,100}$/;

export const orderLineInputSchema = exact({
  sku: z.string().min(1, "required").max(64),
  quantity: z
    .number({ error: "required: a whole number ≥ 1" })
    .int("must be a whole number")
    .min(1, "must be ≥ 1")
    .max(10_000, "must be ≤ 10000"),
});

/** The saga's execution input. Prices come from the catalogue (stock items), never from the client. */
export const orderInputSchema = exact({
  orderId: orderIdSchema,
  /** Whom the shipping and failure emails go to, by name. */
  customer: exact({
    name: z.string().min(1, "required").max(200),
    email: z.email("must be an email address"),
    /** The customer's language for emails (a BCP 47 tag such as de-DE): amounts and dates in it. */
    locale: z
      .string()
      .max(35)
      .refine(
        (tag) => {
          try {
            return Intl.getCanonicalLocales(tag).length === 1;
          } catch {
            return false;
          }
        },
        { error: "must be a language tag such as en-GB or de-DE" },
      )
      .optional(),
  }),
  /**
   * Not part of an order: approvals are requested in the name of the workflow's settings
   * (`Settings.requester`), never of free order input, which could name an approver and so take
   * that approver off the request.
   */
  requester: z
    .never({
      error: "is not part of an order: approvals are asked in the name of Settings.requester",
    })
    .optional(),
  currency: z.enum(CURRENCIES, { error: `must be one of ${CURRENCIES.join(", ")}` }),
  lines: z
    .array(orderLineInputSchema)
    .min(1, "at least one line is required")
    .max(MAX_LINES, `at most ${MAX_LINES} lines per order; split the order`),
  payment: exact({
    /** The payment provider's token for the customer's payment method (`pm_card_visa`). */
    method: z
      .string({ error: "required: a payment-method token such as pm_card_visa" })
      .regex(PAYMENT_METHOD, "must be a payment-method token such as pm_card_visa"),
  }),
  shipping: exact({
    name: z.string().min(1).max(200).optional(),
    line1: z.string().min(1, "required").max(200),
    city: z.string().min(1, "required").max(100),
    postalCode: z.string().min(1, "required").max(20),
    country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code, e.g. DE"),
  }),
  /** Per-order override of the approval threshold (tests, demos); else Settings, else 1000. */
  approvalThreshold: z.number().nonnegative().optional(),
  /** Per-order override of the approval timeout; else Settings, else 24 h. */
  approvalTimeoutSeconds: z.number().int().positive().optional(),
});
export type OrderInput = z.infer<typeof orderInputSchema>;

/**
 * `COMPENSATION_FAILED`: a compensation ran out of retries and the saga waits for an operator
 * (functions/orders/compensation.ts); stock or a charge may still be held.
 */
export type OrderStatus =
  | "RECEIVED"
  | "RESERVED"
  | "CHARGED"
  | "SHIPPED"
  | "COMPLETED"
  | "FAILED"
  | "COMPENSATION_FAILED";

/** A priced line as stored and as shown to approvers. Money: integer minor units + a decimal view. */
export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  unitPriceMinor: number;
}

/** The order item (`ORDER#<id>` / `ORDER`). */
export interface OrderItem {
  orderId: string;
  status: OrderStatus;
  customer: { name: string; email: string; locale?: string };
  /** Only on orders stored before the requester came from the settings. */
  requester?: string;
  currency: Currency;
  lines: OrderLine[];
  total: number;
  totalMinor: number;
  payment: { method: string };
  shipping: OrderInput["shipping"];
  /** Hash of the validated input: a repeated ValidateOrder with the same content is a no-op. */
  inputHash: string;
  createdAt: string;
  updatedAt: string;
  failureReason?: string;
  failureError?: string;
}

/**
 * What the state machine carries between steps and the approval request shows: no customer
 * email, address or payment method (the steps that need them read the order item).
 */
export interface OrderSummary {
  orderId: string;
  customer: { name: string };
  currency: Currency;
  total: number;
  lines: { sku: string; name: string; quantity: number; unitPrice: number }[];
}

export type ReservationStatus = "HELD" | "RELEASED" | "SHIPPED" | "RETURNED";

/** The reservation item (`ORDER#<id>` / `RESERVATION`): exactly what was taken from stock. */
export interface ReservationItem {
  orderId: string;
  status: ReservationStatus;
  lines: { sku: string; quantity: number }[];
  at: string;
}

/** A stock item (`SKU#<sku>` / `STOCK`). available + reserved + shipped only changes by restocking. */
export interface StockItem {
  sku: string;
  name: string;
  currency: Currency;
  unitPriceMinor: number;
  available: number;
  reserved: number;
  shipped: number;
}

/** A payments ledger entry (`ORDER#<id>` / `PAYMENT#CHARGE` or `PAYMENT#REFUND`): one of each at most. */
export interface LedgerEntry {
  orderId: string;
  kind: "CHARGE" | "REFUND";
  amountMinor: number;
  currency: Currency;
  providerRef: string;
  at: string;
}

/** Converts integer minor units to the decimal amount shown to people (2 decimals). */
export function toDecimal(minor: number): number {
  return Math.round(minor) / 100;
}

export function summarize(order: OrderItem): OrderSummary {
  return {
    orderId: order.orderId,
    customer: { name: order.customer.name },
    currency: order.currency,
    total: order.total,
    lines: order.lines.map(({ sku, name, quantity, unitPrice }) => ({
      sku,
      name,
      quantity,
      unitPrice,
    })),
  };
}
