/**
 * The demo shop, local mode only: a small catalogue (demo-catalogue.csv, imported on start through
 * the same path as `countersign catalogue import`), its people, and an order above the approval
 * threshold so `npm start` has something waiting for a person. A deployed stage has none of this:
 * it gets its products, approvers and operators from the person deploying it.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { OrderInput } from "../../functions/orders/model.ts";
import { TEST_PAYMENT_METHODS } from "../../functions/orders/payment-provider.ts";

/** The demo catalogue, a catalogue file like any other (`catalogue import` takes it too). */
export const DEMO_CATALOGUE_FILE = fileURLToPath(new URL("./demo-catalogue.csv", import.meta.url));

/** The demo approvers: a manager decides orders above 1,000; two approve above 10,000. */
export const DEMO_APPROVERS = ["manager@countersign.local", "finance@countersign.local"];

/**
 * The demo operators, who see orders and executions in the dashboard: the manager (a small shop's
 * manager both approves and runs it) and an operator who approves nothing.
 */
export const DEMO_OPERATORS = ["manager@countersign.local", "operator@countersign.local"];

/** What every demo order's id starts with, so `start` can tell a waiting demo order from others. */
export const DEMO_ORDER_PREFIX = "demo-";

/** A fresh demo order id that sorts by time and is a valid execution name. */
export function newDemoOrderId(now: Date): string {
  return `${DEMO_ORDER_PREFIX}${now.toISOString().slice(0, 19).replace(/[-:T]/g, "")}-${randomBytes(3).toString("hex")}`;
}

/** An order for 2 laptops (2,998 EUR): above the threshold, so it waits for approval. */
export function demoOrder(orderId: string): OrderInput {
  return {
    orderId,
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    requester: "sales@countersign.local",
    currency: "EUR",
    lines: [
      { sku: "LAPTOP-14", quantity: 2 },
      { sku: "MOUSE", quantity: 2 },
    ],
    payment: { method: TEST_PAYMENT_METHODS.succeeds },
    shipping: { line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" },
  };
}
