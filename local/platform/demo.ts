/**
 * The demo shop: a small catalogue seeded on first start, and orders that show each path of the
 * saga (one above the approval threshold, so `npm start` has something waiting for a person).
 */
import { randomBytes } from "node:crypto";
import type { OrderInput } from "../../functions/orders/model.ts";
import { TEST_CARDS } from "../../functions/orders/payment-provider.ts";

export interface CatalogueItem {
  sku: string;
  name: string;
  unitPriceMinor: number;
  available: number;
}

export const DEMO_CATALOGUE: readonly CatalogueItem[] = [
  { sku: "LAPTOP-14", name: "Laptop 14-inch", unitPriceMinor: 149_900, available: 50 },
  { sku: "MONITOR-27", name: "Monitor 27-inch", unitPriceMinor: 32_900, available: 100 },
  { sku: "DOCK-USB4", name: "USB4 dock", unitPriceMinor: 18_900, available: 200 },
  { sku: "KEYBOARD", name: "Mechanical keyboard", unitPriceMinor: 8_900, available: 500 },
  { sku: "MOUSE", name: "Wireless mouse", unitPriceMinor: 2_900, available: 1000 },
];

/** In whose name the demo shop's orders ask for approval (Settings.requester). */
export const DEMO_REQUESTER = "sales@countersign.local";

/** The demo approvers: a manager decides orders above 1,000; two approve above 10,000. */
export const DEMO_APPROVERS = ["manager@countersign.local", "finance@countersign.local"];

/** A fresh order id that sorts by time and is a valid execution name. */
export function newOrderId(now: Date): string {
  return `ord-${now.toISOString().slice(0, 19).replace(/[-:T]/g, "")}-${randomBytes(3).toString("hex")}`;
}

/** An order for 2 laptops (2,998 EUR): above the threshold, so it waits for approval. */
export function demoOrder(orderId: string): OrderInput {
  return {
    orderId,
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    currency: "EUR",
    lines: [
      { sku: "LAPTOP-14", quantity: 2 },
      { sku: "MOUSE", quantity: 2 },
    ],
    payment: { card: TEST_CARDS.succeeds },
    shipping: { line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" },
  };
}
