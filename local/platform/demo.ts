/**
 * The demo shop, local mode only: a small catalogue (demo-catalogue.csv, imported on start through
 * the same path as `countersign catalogue import`), its people, an order above the approval
 * threshold and an expense claim (stacks/expense-approval.asl.json) so `npm start` has two
 * requests from two workflows waiting for a person. A deployed stage has none of this:
 * it gets its products, approvers and operators from the person deploying it.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { OrderInput } from "../../functions/orders/model.ts";
import { TEST_PAYMENT_METHODS } from "../../functions/orders/payment-provider.ts";

/** The demo catalogue, a catalogue file like any other (`catalogue import` takes it too). */
export const DEMO_CATALOGUE_FILE = fileURLToPath(new URL("./demo-catalogue.csv", import.meta.url));

/** In whose name the demo shop's orders ask for approval (Settings.requester). */
export const DEMO_REQUESTER = "sales@countersign.local";

/** The demo approvers: a manager decides orders above 1,000; two approve above 10,000. */
export const DEMO_APPROVERS = ["manager@countersign.local", "finance@countersign.local"];

/**
 * The demo operators, who see orders and executions in the dashboard: the manager (a small shop's
 * manager both approves and runs it) and an operator who approves nothing.
 */
export const DEMO_OPERATORS = ["manager@countersign.local", "operator@countersign.local"];

/**
 * What the ids of the demo's requests (its orders, its expense claims) start with, so `start` can
 * tell a demo request still waiting from anyone else's.
 */
export const DEMO_PREFIX = "demo-";

/** A fresh demo id that sorts by time and is a valid execution name. */
function demoId(kind: string, now: Date, bytes: number): string {
  return `${DEMO_PREFIX}${kind}${now.toISOString().slice(0, 19).replace(/[-:T]/g, "")}-${randomBytes(bytes).toString("hex")}`;
}

/** A fresh demo order id (`demo-20261207150024-3f9a1c`). */
export function newDemoOrderId(now: Date): string {
  return demoId("", now, 3);
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
    payment: { method: TEST_PAYMENT_METHODS.succeeds },
    shipping: { line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB" },
  };
}

/** Who claims the demo expense (the requester: never one of its approvers). */
export const DEMO_EMPLOYEE = "ada@countersign.local";

/** An expense claim above the 1,000 limit, so it needs both demo approvers. */
export function demoExpense(now: Date) {
  const expenseId = demoId("exp-", now, 2);
  return {
    expenseId,
    employee: DEMO_EMPLOYEE,
    description: "Flights and hotel for the Lisbon customer visit",
    amount: 1450,
    currency: "EUR",
    category: "travel",
    notes: "Booked three weeks ahead.\n\n- Flights: 610.00 EUR\n- Hotel, 3 nights: 840.00 EUR",
  };
}
