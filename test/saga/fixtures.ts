/**
 * Fixtures for saga tests: a unique catalogue per test (tests share one table and isolate by key
 * prefix), order inputs, and a snapshot of everything an order touched, for invariant checks.
 */
import { randomUUID } from "node:crypto";
import { defaultDeps, type OrderDeps } from "../../functions/orders/deps.ts";
import { findReservation, getStock, putStock } from "../../functions/orders/inventory.ts";
import type { OrderInput, StockItem } from "../../functions/orders/model.ts";
import { findOrder } from "../../functions/orders/orders.ts";
import {
  type SimulatedChargeState,
  SimulatedPaymentProvider,
  TEST_PAYMENT_METHODS,
} from "../../functions/orders/payment-provider.ts";
import { chargeKey, findLedgerEntry } from "../../functions/orders/payments.ts";
import { findShipment } from "../../functions/orders/shipping.ts";

export { TEST_PAYMENT_METHODS };

export function deps(): OrderDeps {
  return defaultDeps();
}

/** A short unique prefix, so parallel tests never share an order or a SKU. */
export function uid(label = "t"): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

export interface Catalogue {
  /** SKU codes by role: `a` (cheap, 10.00), `b` (25.50), `big` (600.00). */
  a: string;
  b: string;
  big: string;
  all: string[];
}

/** Seeds three fresh SKUs in EUR with `available` units each (or per SKU: a, b, big). */
export async function seedCatalogue(
  available: number | [number, number, number] = 10,
  d: OrderDeps = deps(),
): Promise<Catalogue> {
  const p = uid("sku");
  const [a, b, big] = typeof available === "number" ? [available, available, available] : available;
  const items: Omit<StockItem, "reserved" | "shipped">[] = [
    { sku: `${p}-A`, name: "Widget", currency: "EUR", unitPriceMinor: 1000, available: a },
    { sku: `${p}-B`, name: "Gadget", currency: "EUR", unitPriceMinor: 2550, available: b },
    {
      sku: `${p}-BIG`,
      name: "Espresso machine",
      currency: "EUR",
      unitPriceMinor: 60000,
      available: big,
    },
  ];

  await Promise.all(items.map((i) => putStock(d, i)));
  return { a: `${p}-A`, b: `${p}-B`, big: `${p}-BIG`, all: items.map((i) => i.sku) };
}

/** A valid order for the catalogue; override anything. */
export function orderInput(cat: Catalogue, overrides: Partial<OrderInput> = {}): OrderInput {
  return {
    orderId: uid("ord"),
    customer: { name: "Ada Lovelace", email: `${uid("ada")}@example.test` },
    currency: "EUR",
    lines: [
      { sku: cat.a, quantity: 2 },
      { sku: cat.b, quantity: 1 },
    ],
    payment: { method: TEST_PAYMENT_METHODS.succeeds },
    shipping: { line1: "1 Analytical Way", city: "Berlin", postalCode: "10115", country: "DE" },
    ...overrides,
  };
}

/** Stock counters of the given SKUs. */
export async function stockOf(
  skus: string[],
  d: OrderDeps = deps(),
): Promise<Record<string, Pick<StockItem, "available" | "reserved" | "shipped">>> {
  const out: Record<string, Pick<StockItem, "available" | "reserved" | "shipped">> = {};
  for (const sku of skus) {
    const s = await getStock(d, sku);
    out[sku] = {
      available: s?.available ?? 0,
      reserved: s?.reserved ?? 0,
      shipped: s?.shipped ?? 0,
    };
  }
  return out;
}

/** Everything one order touched: order item, reservation, ledger, provider record, shipment. */
export async function orderState(orderId: string, d: OrderDeps = deps()) {
  const provider = new SimulatedPaymentProvider(d);
  const [order, reservation, charge, refund, psp, shipment] = await Promise.all([
    findOrder(d, orderId),
    findReservation(d, orderId),
    findLedgerEntry(d, orderId, "CHARGE"),
    findLedgerEntry(d, orderId, "REFUND"),
    provider.inspect(chargeKey(orderId)) as Promise<SimulatedChargeState | undefined>,
    findShipment(d, orderId),
  ]);
  return { order, reservation, charge, refund, psp, shipment };
}
