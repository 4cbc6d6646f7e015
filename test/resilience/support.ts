/**
 * What the resilience tests share: the payment each order pays with (ONE place that names the
 * simulator's payment-method tokens),
 * the topology's real handlers wired to the run's emulators, a fresh catalogue, and invariant
 * checks over everything an order touched.
 */
import { randomUUID } from "node:crypto";
import type { OrderDeps } from "../../functions/orders/deps.ts";
import { findReservation, getStock, putStock } from "../../functions/orders/inventory.ts";
import type { OrderInput } from "../../functions/orders/model.ts";
import { findOrder } from "../../functions/orders/orders.ts";
import {
  type SimulatedChargeState,
  SimulatedPaymentProvider,
  TEST_PAYMENT_METHODS,
} from "../../functions/orders/payment-provider.ts";
import { chargeKey, findLedgerEntry } from "../../functions/orders/payments.ts";
import { type LocalWiring, localArns } from "../../local/platform/functions.ts";

/** How an order pays, by the outcome the simulated provider gives it. */
export type PaymentKind = keyof typeof TEST_PAYMENT_METHODS;

/** The order's `payment` field for a kind of outcome (the one place that knows the field's shape). */
export function paymentFor(kind: PaymentKind): OrderInput["payment"] {
  return { method: TEST_PAYMENT_METHODS[kind] };
}

/** A short unique label, so tests sharing one table never share an order, SKU or address. */
export function uid(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

/** The topology's wiring on the run's emulators (test/setup-env.ts), with strict links and IAM. */
export function wiringFromEnv(settings: Record<string, unknown> = {}): LocalWiring {
  const table = (JSON.parse(process.env.SST_RESOURCE_Table ?? "{}") as { name?: string }).name;
  const sender = "orders@countersign.local";
  if (!table) throw new Error("SST_RESOURCE_Table is not set: run under test/setup-env.ts");
  return {
    links: {
      Table: { name: table },
      Email: { sender },
      Settings: {
        approvalThreshold: 1000,
        approvalTimeoutSeconds: 86_400,
        approvers: [],
        ...settings,
      },
    },
    arns: localArns({ table, sender }),
  };
}

/** Seeds `skus` fresh SKUs (10.00 EUR each) with `available` units; returns their codes. */
export async function seedStock(
  deps: OrderDeps,
  skus: number,
  available: number,
): Promise<string[]> {
  const prefix = uid("sku");
  const codes = Array.from({ length: skus }, (_, i) => `${prefix}-${i}`);
  await Promise.all(
    codes.map((sku) =>
      putStock(deps, { sku, name: sku, currency: "EUR", unitPriceMinor: 1000, available }),
    ),
  );
  return codes;
}

/** An order for one unit of each of `skus`, paying with `payment`, shipped to `country`. */
export function orderFor(
  skus: string[],
  payment: PaymentKind,
  overrides: Partial<OrderInput> = {},
): OrderInput {
  return {
    orderId: uid("ord"),
    customer: { name: "Ada Lovelace", email: `${uid("ada")}@example.test` },
    currency: "EUR",
    lines: skus.map((sku) => ({ sku, quantity: 1 })),
    payment: paymentFor(payment),
    shipping: { line1: "1 Analytical Way", city: "Berlin", postalCode: "10115", country: "DE" },
    ...overrides,
  };
}

/** What one order holds once its saga ended: stock units and net charge (minor units). */
export async function holdings(deps: OrderDeps, orderId: string) {
  const provider = new SimulatedPaymentProvider(deps);
  const [order, reservation, charge, refund, psp] = await Promise.all([
    findOrder(deps, orderId),
    findReservation(deps, orderId),
    findLedgerEntry(deps, orderId, "CHARGE"),
    findLedgerEntry(deps, orderId, "REFUND"),
    provider.inspect(chargeKey(orderId)) as Promise<SimulatedChargeState | undefined>,
  ]);
  const charges = psp?.charges ?? 0;
  const refunds = psp?.refunds ?? 0;
  return {
    status: order?.status,
    reservation: reservation?.status,
    charges,
    refunds,
    netCharged: (charges - refunds) * (psp?.amountMinor ?? 0),
    ledger: { charged: charge !== undefined, refunded: refund !== undefined },
  };
}

/** available + reserved + shipped per SKU, and what is still reserved. */
export async function stockTotals(deps: OrderDeps, skus: string[]) {
  const out: Record<string, { total: number; reserved: number; shipped: number }> = {};
  for (const sku of skus) {
    const s = await getStock(deps, sku);
    out[sku] = {
      total: (s?.available ?? 0) + (s?.reserved ?? 0) + (s?.shipped ?? 0),
      reserved: s?.reserved ?? 0,
      shipped: s?.shipped ?? 0,
    };
  }
  return out;
}
