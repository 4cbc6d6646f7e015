/**
 * What each order of a mixed batch must end as, given how it pays and where it ships, and the
 * saga's invariants over the whole batch: stock is conserved and nothing stays reserved, each
 * order is charged at most once and refunded at most once, a failed order holds no stock and no
 * net charge, a succeeded one is charged once, never refunded, and shipped.
 */
import type { OrderDeps } from "../../functions/orders/deps.ts";
import type { OrderInput } from "../../functions/orders/model.ts";
import { holdings, orderFor, type PaymentKind, stockTotals } from "./support.ts";

/** One order of the batch and the outcome it must reach. */
export interface PlannedOrder {
  input: OrderInput;
  expect: { status: "SUCCEEDED" } | { status: "FAILED"; error: string };
}

/** The mix of a batch: how many orders of each kind (payment and country). */
const MIX: { payment: PaymentKind; country: string; share: number; error?: string }[] = [
  { payment: "succeeds", country: "DE", share: 50 },
  { payment: "flaky", country: "DE", share: 10 },
  { payment: "declined", country: "DE", share: 15, error: "PaymentDeclined" },
  { payment: "unavailable", country: "DE", share: 10, error: "PaymentProviderUnavailable" },
  { payment: "lostResponse", country: "DE", share: 5, error: "PaymentProviderUnavailable" },
  { payment: "succeeds", country: "AQ", share: 10, error: "ShippingUnavailable" },
];

/** `count` orders in the proportions of {@link MIX}, each for one or two of `skus`, no approval. */
export function plannedBatch(count: number, skus: string[]): PlannedOrder[] {
  const kinds = MIX.flatMap((m) => Array.from({ length: m.share }, () => m));
  return Array.from({ length: count }, (_, i) => {
    const kind = kinds[i % kinds.length] as (typeof MIX)[number];
    const lines = [skus[i % skus.length] as string, skus[(i + 1) % skus.length] as string];
    const input = orderFor(lines.slice(0, 1 + (i % 2)), kind.payment, {
      approvalThreshold: 1_000_000,
    });
    input.shipping = { ...input.shipping, country: kind.country };
    return {
      input,
      expect: kind.error ? { status: "FAILED", error: kind.error } : { status: "SUCCEEDED" },
    };
  });
}

/** How an execution ended. */
export interface Ended {
  status: string;
  error?: string;
}

/** Every broken expectation and invariant of the batch, as sentences (none: all is well). */
export async function batchViolations(
  deps: OrderDeps,
  orders: PlannedOrder[],
  ended: Map<string, Ended>,
  skus: string[],
  unitsPerSku: number,
): Promise<string[]> {
  const bad: string[] = [];
  const shippedBySku = new Map<string, number>();
  for (const { input, expect } of orders) {
    const id = input.orderId;
    const end = ended.get(id);
    const held = await holdings(deps, id);
    if (end?.status !== expect.status)
      bad.push(`${id}: ended ${end?.status}, not ${expect.status}`);
    if (expect.status === "FAILED" && end?.error !== expect.error) {
      bad.push(`${id}: failed with ${end?.error}, not ${expect.error}`);
    }
    if (held.charges > 1) bad.push(`${id}: charged ${held.charges} times`);
    if (held.refunds > 1) bad.push(`${id}: refunded ${held.refunds} times`);
    if (expect.status === "SUCCEEDED") {
      if (held.status !== "COMPLETED") bad.push(`${id}: order is ${held.status}, not COMPLETED`);
      if (held.charges !== 1 || held.refunds !== 0)
        bad.push(`${id}: succeeded but charges/refunds ${held.charges}/${held.refunds}`);
      if (held.reservation !== "SHIPPED")
        bad.push(`${id}: succeeded, reservation ${held.reservation}`);
      for (const line of input.lines) {
        shippedBySku.set(line.sku, (shippedBySku.get(line.sku) ?? 0) + line.quantity);
      }
    } else {
      if (held.status !== "FAILED") bad.push(`${id}: order is ${held.status}, not FAILED`);
      if (held.reservation === "HELD" || held.reservation === "SHIPPED") {
        bad.push(`${id}: failed but still holds stock (${held.reservation})`);
      }
      if (held.netCharged !== 0) bad.push(`${id}: failed with a net charge of ${held.netCharged}`);
    }
  }
  for (const [sku, s] of Object.entries(await stockTotals(deps, skus))) {
    if (s.total !== unitsPerSku) bad.push(`${sku}: ${s.total} units in all, not ${unitsPerSku}`);
    if (s.reserved !== 0) bad.push(`${sku}: ${s.reserved} units still reserved`);
    if (s.shipped !== (shippedBySku.get(sku) ?? 0)) {
      bad.push(
        `${sku}: ${s.shipped} shipped, succeeded orders shipped ${shippedBySku.get(sku) ?? 0}`,
      );
    }
  }
  return bad;
}
