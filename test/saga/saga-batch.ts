/**
 * A batch of concurrent sagas competing for the same stock, each under its own fault plan, and the
 * invariants checked after every batch. Shared by the property test (fast-check generates the
 * plans) and `npm run soak` (a seeded generator).
 *
 * Invariants: stock is conserved per SKU (available + reserved + shipped constant, none
 * negative, nothing left reserved once every saga ended, shipped = what succeeded orders shipped);
 * each order is charged at most once and refunded at most once (the provider's own counters); a
 * failed order holds no stock and no net charge; a succeeded order is charged exactly once, never
 * refunded, and shipped once; ledger and provider agree; no saga ends stuck or in
 * CompensationFailed; and what must fail does (declined card, unsupported country, no approval).
 */

import type { CompiledMachine, Json } from "../../local/asl/index.ts";
import { compile } from "../../local/asl/index.ts";
import { localDefinition } from "../../local/platform/functions.ts";
import type { Handler } from "../../local/sfn/index.ts";
import { type DriverResult, type Fault, runWithFaults } from "./fault-driver.ts";
import {
  orderInput,
  orderState,
  seedCatalogue,
  stockOf,
  TEST_PAYMENT_METHODS,
  uid,
} from "./fixtures.ts";
import { sagaTaskHandlers } from "./harness.ts";

export type Card = keyof typeof TEST_PAYMENT_METHODS;

export interface OrderPlan {
  /** Lines by SKU index (0..2, distinct) and quantity. */
  lines: { sku: number; quantity: number }[];
  card: Card;
  country: "DE" | "AQ";
  needsApproval: boolean;
  approval: "approve" | "reject" | "timeout";
  faults: Fault[];
  crashes: number[];
}

export interface BatchPlan {
  /** Initial available units of the three SKUs. */
  stock: [number, number, number];
  orders: OrderPlan[];
}

export interface BatchOutcome {
  sagas: number;
  violations: string[];
  results: DriverResult[];
}

let machine: CompiledMachine | undefined;

/** The saga, compiled once per process. */
export function sagaMachine(): CompiledMachine {
  machine ??= compile(JSON.parse(localDefinition()));
  return machine;
}

const functions = async (): Promise<Record<string, Handler>> => ({
  ...(await sagaTaskHandlers()),
  // The approval API's handler records the request; the plan answers the token.
  RequestApproval: async () => ({ approvalId: "property-test" }),
});

/** Runs every order of the batch concurrently, then checks the invariants. */
export async function runBatch(plan: BatchPlan): Promise<BatchOutcome> {
  const cat = await seedCatalogue(plan.stock);
  const skus = [cat.a, cat.b, cat.big];
  const orders = plan.orders.map((o) =>
    orderInput(cat, {
      orderId: uid("prop"),
      lines: o.lines.map((l) => ({ sku: skus[l.sku] as string, quantity: l.quantity })),
      payment: { method: TEST_PAYMENT_METHODS[o.card] },
      shipping: { line1: "1 Way", city: "Town", postalCode: "1", country: o.country },
      approvalThreshold: o.needsApproval ? 0 : 1_000_000,
      approvalTimeoutSeconds: 3600,
    }),
  );
  const fns = await functions();
  const results = await Promise.all(
    orders.map((input, i) => {
      const o = plan.orders[i] as OrderPlan;
      return runWithFaults(sagaMachine(), input as unknown as Json, {
        name: input.orderId,
        functions: fns,
        plan: {
          faults: o.faults,
          crashes: o.crashes,
          approval:
            o.approval === "timeout"
              ? null
              : { decision: o.approval, by: "approver@example.test", at: "2025-01-01T00:01:00Z" },
        },
      });
    }),
  );

  const violations: string[] = [];
  const shippedBySku = new Map<string, number>();
  for (const [i, input] of orders.entries()) {
    const o = plan.orders[i] as OrderPlan;
    const r = results[i] as DriverResult;
    const s = await orderState(input.orderId);
    const id = input.orderId;
    const bad = (what: string) => violations.push(`${id}: ${what} (${r.status} ${r.error ?? ""})`);
    const charges = s.psp?.charges ?? 0;
    const refunds = s.psp?.refunds ?? 0;
    if (charges > 1) bad(`charged ${charges} times`);
    if (refunds > 1) bad(`refunded ${refunds} times`);
    if (!!s.charge !== charges > 0)
      bad(`ledger charge ${!!s.charge} but provider charges ${charges}`);
    if (!!s.refund !== refunds > 0)
      bad(`ledger refund ${!!s.refund} but provider refunds ${refunds}`);
    if (r.status === "SUCCEEDED") {
      if (s.order?.status !== "COMPLETED" && s.order?.status !== "SHIPPED") {
        bad(`succeeded but order is ${s.order?.status}`);
      }
      if (charges !== 1 || refunds !== 0)
        bad(`succeeded with ${charges} charges, ${refunds} refunds`);
      if (s.reservation?.status !== "SHIPPED" || s.shipment?.status !== "BOOKED") {
        bad(`succeeded but reservation ${s.reservation?.status}, shipment ${s.shipment?.status}`);
      }
      for (const line of s.reservation?.lines ?? []) {
        shippedBySku.set(line.sku, (shippedBySku.get(line.sku) ?? 0) + line.quantity);
      }
      if (o.card === "declined" || o.card === "unavailable" || o.card === "lostResponse") {
        bad(`succeeded with card ${o.card}`);
      }
      if (o.country === "AQ") bad("succeeded shipping to AQ");
      if (o.needsApproval && o.approval !== "approve")
        bad(`succeeded without approval (${o.approval})`);
    } else if (r.status === "FAILED") {
      if (r.error === "CompensationFailed") bad(`compensation failed: ${r.cause}`);
      if (s.order?.status !== "FAILED") bad(`failed but order is ${s.order?.status}`);
      if (
        s.reservation &&
        s.reservation.status !== "RELEASED" &&
        s.reservation.status !== "RETURNED"
      ) {
        bad(`failed but still holds stock (reservation ${s.reservation.status})`);
      }
      if (charges !== refunds)
        bad(`failed with net charge (${charges} charged, ${refunds} refunded)`);
    } else {
      bad(`ended ${r.status}`);
    }
  }
  const stock = await stockOf(skus);
  for (const [i, sku] of skus.entries()) {
    const c = stock[sku];
    if (!c) continue;
    const total = c.available + c.reserved + c.shipped;
    if (total !== plan.stock[i])
      violations.push(`${sku}: total ${total} != initial ${plan.stock[i]}`);
    if (c.available < 0 || c.reserved < 0 || c.shipped < 0)
      violations.push(`${sku}: negative ${JSON.stringify(c)}`);
    if (c.reserved !== 0)
      violations.push(`${sku}: ${c.reserved} still reserved after every saga ended`);
    if (c.shipped !== (shippedBySku.get(sku) ?? 0)) {
      violations.push(
        `${sku}: shipped ${c.shipped} but succeeded orders shipped ${shippedBySku.get(sku) ?? 0}`,
      );
    }
  }
  return { sagas: orders.length, violations, results };
}
