/**
 * The invariants of a batch of sagas, read back from DynamoDB and the runtime once every saga
 * ended. Safety: stock is conserved per SKU (available + reserved + shipped constant, none
 * negative, nothing left reserved, shipped = what succeeded orders shipped); each order is
 * charged at most once and refunded at most once (the provider's own counters, which the ledger
 * must match); a failed order holds no stock and no net charge; a succeeded order is charged
 * once, never refunded, shipped once.
 *
 * Outcome: every saga ends, and ends for a reason its plan gives. A failure must be explained by
 * the order (declined card, a country the carrier refuses, stock other orders competed for), by
 * the approver (rejected, or never answered: the timeout counts as a rejection) or by faults that
 * outlast the step's retries; so a runtime that stopped retrying, resuming or firing timers fails
 * these checks even where every effect stayed consistent, and so does one that retried a step
 * more or fewer times than its Retry rules say (retry-audit.ts). An approval the approver gave
 * must lead to the charge; one given after the timeout must be refused.
 */

import { localDefinition } from "../../local/platform/functions.ts";
import type { FaultKind } from "./faults.ts";
import { orderState, stockOf } from "./fixtures.ts";
import { auditRetries, lambdaRetries, retriersOf } from "./retry-audit.ts";
import { accepted, type BatchPlan, type OrderPlan, type SagaRun } from "./saga-batch.ts";

/** The saga's Retry rules, which every history must follow (retry-audit.ts). */
const RETRIERS = retriersOf(localDefinition());
/** Retries of a failed invocation, per function. */
const RETRIES = lambdaRetries(localDefinition());

/** The error Step Functions reports for a fault kind that failed every attempt of a step. */
const EXHAUSTS: Partial<Record<string, FaultKind>> = {
  "Lambda.ServiceException": "before",
  "Lambda.Unknown": "after",
  "Sandbox.Timedout": "timeout",
};

/** Whether another order of the batch wants the same SKU (stock contention, conflicting writes). */
function competes(plan: BatchPlan, order: OrderPlan): boolean {
  return order.lines.some((line) => {
    const others = plan.orders
      .filter((o) => o !== order)
      .flatMap((o) => o.lines)
      .filter((l) => l.sku === line.sku);
    const wanted = line.quantity + others.reduce((n, l) => n + l.quantity, 0);
    return wanted > (plan.stock[line.sku] ?? 0);
  });
}

/** Whether the plan explains a FAILED execution's error. */
function explained(plan: BatchPlan, run: SagaRun): boolean {
  const o = run.plan;
  const step = /^(\w+) failed: /.exec(run.cause ?? "")?.[1];
  switch (run.error) {
    case "OutOfStock":
      return competes(plan, o) || o.lines.some((l) => l.quantity > (plan.stock[l.sku] ?? 0));
    case "PaymentDeclined":
      return o.card === "declined";
    case "PaymentProviderUnavailable":
      return o.card === "unavailable" || o.card === "lostResponse";
    case "ShippingUnavailable":
      return o.country === "AQ";
    case "ApprovalRejected":
      return o.needsApproval && o.approval === "reject";
    case "ApprovalTimedOut":
      return o.needsApproval && o.approval === "timeout";
    default: {
      // A step fails for a fault only when the fault covers every one of its attempts. (The
      // failure names its state; each forward step's state has its function's name.)
      const kind = EXHAUSTS[run.error ?? ""];
      const retries = RETRIES.get(step ?? "") ?? 0;
      return (
        kind !== undefined &&
        o.faults.some((f) => f.fn === step && f.kind === kind && f.times > retries)
      );
    }
  }
}

/** Violations of the outcome rules for one saga (what the runtime and the approvals decided). */
function outcome(plan: BatchPlan, run: SagaRun): string[] {
  const o = run.plan;
  const out: string[] = [];
  if (run.status === "SUCCEEDED") {
    if (o.card !== "succeeds" && o.card !== "flaky") out.push(`succeeded with card ${o.card}`);
    if (o.country === "AQ") out.push("succeeded shipping to AQ");
    if (o.needsApproval && accepted(run)?.decision !== "approve") {
      out.push(`succeeded without an approval (plan: ${o.approval})`);
    }
  } else if (run.status === "FAILED") {
    if (!explained(plan, run)) out.push(`failed for no reason its plan gives: ${run.cause}`);
  } else {
    out.push(`did not end: ${run.status} after the whole horizon`);
  }
  if (run.status !== "RUNNING") {
    for (const problem of auditRetries(run.history, RETRIERS)) out.push(`retry rule: ${problem}`);
  }
  const approval = run.path.indexOf("RequestApproval");
  if (!o.needsApproval && approval >= 0) out.push("asked for an approval it did not need");
  if (o.needsApproval && run.path.includes("NeedsApproval") && approval < 0) {
    out.push("skipped the approval it needed");
  }
  if (run.path.includes("ApprovalDecision") && run.requests === 0) {
    out.push("was decided without the approver ever being emailed");
  }
  const click = accepted(run);
  if (click?.decision === "approve") {
    const decided = run.path.indexOf("ApprovalDecision");
    if (decided < 0 || run.path[decided + 1] !== "ChargePayment") {
      out.push(`approved (${click.heading}), but the saga did not go on to charge`);
    }
  }
  if (click?.decision === "reject" && run.error !== "ApprovalRejected") {
    out.push(`rejected (${click.heading}), but ended ${run.status} ${run.error ?? ""}`);
  }
  if (run.lateClick && run.lateClick.status === 200) {
    out.push(`a click after the approval timed out was accepted: ${run.lateClick.heading}`);
  }
  return out;
}

/** What `orderState` reads back of one order (fixtures.ts). */
export type OrderSnapshot = Awaited<ReturnType<typeof orderState>>;

/**
 * The safety invariants of one order, whatever the runtime did: charged and refunded at most
 * once, the ledger matching the provider, a succeeded order charged once, shipped and never
 * refunded, a failed order holding no stock and no net charge. Also the fuzzer's worked example
 * (test/saga/fuzz/invariants.ts). `shipped` collects what a succeeded order shipped, by SKU.
 */
export function orderSafety(
  run: { status: string },
  s: OrderSnapshot,
  shipped?: Map<string, number>,
): string[] {
  const out: string[] = [];
  const charges = s.psp?.charges ?? 0;
  const refunds = s.psp?.refunds ?? 0;
  if (charges > 1) out.push(`charged ${charges} times`);
  if (refunds > 1) out.push(`refunded ${refunds} times`);
  if (!!s.charge !== charges > 0)
    out.push(`ledger charge ${!!s.charge}, provider charges ${charges}`);
  if (!!s.refund !== refunds > 0)
    out.push(`ledger refund ${!!s.refund}, provider refunds ${refunds}`);
  if (run.status === "SUCCEEDED") {
    if (s.order?.status !== "COMPLETED" && s.order?.status !== "SHIPPED") {
      out.push(`succeeded but the order is ${s.order?.status}`);
    }
    if (charges !== 1 || refunds !== 0)
      out.push(`succeeded with ${charges} charges, ${refunds} refunds`);
    if (s.reservation?.status !== "SHIPPED" || s.shipment?.status !== "BOOKED") {
      out.push(
        `succeeded but reservation ${s.reservation?.status}, shipment ${s.shipment?.status}`,
      );
    }
    for (const line of s.reservation?.lines ?? []) {
      shipped?.set(line.sku, (shipped.get(line.sku) ?? 0) + line.quantity);
    }
  } else if (run.status === "FAILED") {
    if (s.order?.status !== "FAILED") out.push(`failed but the order is ${s.order?.status}`);
    if (s.reservation && !["RELEASED", "RETURNED"].includes(s.reservation.status)) {
      out.push(`failed but still holds stock (reservation ${s.reservation.status})`);
    }
    if (charges !== refunds)
      out.push(`failed with a net charge (${charges} charged, ${refunds} refunded)`);
  }
  return out;
}

/**
 * Stock conservation over `skus` once every order on them ended: available + reserved + shipped
 * equals the initial units, none negative, nothing reserved, shipped = what succeeded orders
 * shipped.
 */
export async function stockConservation(
  skus: string[],
  initial: readonly number[],
  shipped: Map<string, number>,
): Promise<string[]> {
  const violations: string[] = [];
  const stock = await stockOf(skus);
  for (const [i, sku] of skus.entries()) {
    const c = stock[sku];
    if (!c) continue;
    const total = c.available + c.reserved + c.shipped;
    if (total !== initial[i]) violations.push(`${sku}: total ${total} != initial ${initial[i]}`);
    if (c.available < 0 || c.reserved < 0 || c.shipped < 0) {
      violations.push(`${sku}: negative ${JSON.stringify(c)}`);
    }
    if (c.reserved !== 0)
      violations.push(`${sku}: ${c.reserved} still reserved after every saga ended`);
    if (c.shipped !== (shipped.get(sku) ?? 0)) {
      violations.push(
        `${sku}: shipped ${c.shipped}, succeeded orders shipped ${shipped.get(sku) ?? 0}`,
      );
    }
  }
  return violations;
}

/** Every violation in the batch, each naming its order or SKU. */
export async function checkBatch(
  plan: BatchPlan,
  skus: string[],
  runs: SagaRun[],
): Promise<string[]> {
  const violations: string[] = [];
  const shippedBySku = new Map<string, number>();
  for (const run of runs) {
    const bad = (what: string) =>
      violations.push(`${run.orderId}: ${what} (${run.status} ${run.error ?? ""})`);
    for (const v of orderSafety(run, await orderState(run.orderId), shippedBySku)) bad(v);
    for (const v of outcome(plan, run)) bad(v);
  }
  violations.push(...(await stockConservation(skus, plan.stock, shippedBySku)));
  return violations;
}
