/**
 * The order saga end to end: the real `stacks/order-saga.asl.json` on the durable local runtime
 * (virtual clock), the real handlers in-process, DynamoDB Local. Each case asserts what a shop
 * operator would check: the order's status, the execution's status and error, stock levels, the
 * payments ledger, and the path the execution took.
 */
import "countersign/testing/vitest";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readOutbox } from "../../local/emulators/ses-local.ts";
import {
  orderInput,
  orderState,
  seedCatalogue,
  stockOf,
  TEST_PAYMENT_METHODS,
} from "./fixtures.ts";
import { path, type SagaHarness, sagaHarness, transitions } from "./harness.ts";

let h: SagaHarness;
beforeAll(async () => {
  h = await sagaHarness();
});
afterAll(() => h.close());

const COMPENSATE_AFTER_CHARGE = [
  "RefundPayment",
  "ReleaseStock",
  "MarkOrderFailed",
  "NotifyFailure",
  "OrderFailed",
];
const COMPENSATE_AFTER_RESERVE = [
  "ReleaseStock",
  "MarkOrderFailed",
  "NotifyFailure",
  "OrderFailed",
];

/** How many times a Task state scheduled its task (1 + retries). */
function attempts(history: Awaited<ReturnType<SagaHarness["history"]>>, state: string): number {
  let current = "";
  let count = 0;
  for (const e of history) {
    if (e.type.endsWith("StateEntered")) {
      current = (e.stateEnteredEventDetails as { name: string }).name;
    }
    if (e.type === "TaskScheduled" && current === state) count++;
  }
  return count;
}

describe("order saga", () => {
  it("happy path: charges, ships, emails, completes in 6 state transitions", async () => {
    const cat = await seedCatalogue(10);
    const order = orderInput(cat);

    const arn = await h.start(order);
    const status = await h.settle(arn);

    expect(status).toBe("SUCCEEDED");
    const history = await h.history(arn);
    expect(path(history)).toEqual([
      "ValidateOrder",
      "ReserveStock",
      "NeedsApproval",
      "ChargePayment",
      "ShipOrder",
      "NotifyCustomer",
    ]);
    expect(transitions(history)).toBeLessThanOrEqual(15);
    expect(JSON.parse(h.runtime.describeExecution({ executionArn: arn }).output as string)).toEqual(
      {
        orderId: order.orderId,
        status: "COMPLETED",
        total: 45.5,
        currency: "EUR",
        notified: true,
      },
    );
    const state = await orderState(order.orderId);
    expect(state.order?.status).toBe("COMPLETED");
    expect(state.charge?.amountMinor).toBe(4550);
    expect(state.refund).toBeUndefined();
    expect(await stockOf([cat.a, cat.b])).toEqual({
      [cat.a]: { available: 8, reserved: 0, shipped: 2 },
      [cat.b]: { available: 9, reserved: 0, shipped: 1 },
    });
    const mail = (await readOutbox(inject("sesEndpoint"))).filter((m) =>
      m.to.includes(order.customer.email),
    );
    expect(mail.map((m) => m.subject)).toEqual([`Your order ${order.orderId} is on its way`]);
  });

  it("starting the same order twice is one execution", async () => {
    const cat = await seedCatalogue(10);
    const order = orderInput(cat);

    const first = await h.start(order);
    const second = await h.start(order);
    await h.settle(first);

    expect(second).toBe(first);
    const stock = (await stockOf([cat.a]))[cat.a];
    expect(stock).toEqual({ available: 8, reserved: 0, shipped: 2 });
  });

  it("approval approved: waits for the decision, then completes", async () => {
    const cat = await seedCatalogue(10);
    const order = orderInput(cat, { lines: [{ sku: cat.big, quantity: 2 }] });

    const arn = await h.start(order);
    await h.settle(arn, { untilApproval: order.orderId });
    const request = h.approvals.get(order.orderId);
    await h.runtime.sendTaskSuccess({
      taskToken: request?.taskToken as string,
      output: JSON.stringify({
        decision: "approve",
        by: "boss@example.test",
        at: "2025-01-01T00:05:00Z",
      }),
    });
    const status = await h.settle(arn);

    expect(request).toMatchObject({
      title: `Order ${order.orderId} for 1,200.00 EUR`,
      required: 1,
      timeoutSeconds: 86400,
    });
    expect(request?.summary).toContainEqual({
      type: "money",
      label: `2 × Espresso machine (${cat.big})`,
      amount: 1200,
      currency: "EUR",
    });
    expect(status).toBe("SUCCEEDED");
    expect(path(await h.history(arn))).toEqual([
      "ValidateOrder",
      "ReserveStock",
      "NeedsApproval",
      "RequestApproval",
      "ApprovalDecision",
      "ChargePayment",
      "ShipOrder",
      "NotifyCustomer",
    ]);
    expect((await orderState(order.orderId)).order?.status).toBe("COMPLETED");
    expect((await stockOf([cat.big]))[cat.big]).toEqual({ available: 8, reserved: 0, shipped: 2 });
  });

  it("approval rejected: releases stock, charges nothing, fails with the approver's reason", async () => {
    const cat = await seedCatalogue(10);
    const order = orderInput(cat, { lines: [{ sku: cat.big, quantity: 2 }] });

    const arn = await h.start(order);
    await h.settle(arn, { untilApproval: order.orderId });
    await h.runtime.sendTaskSuccess({
      taskToken: h.approvals.get(order.orderId)?.taskToken as string,
      output: JSON.stringify({
        decision: "reject",
        by: "boss@example.test",
        comment: "too pricey",
        at: "2025-01-01T00:05:00Z",
      }),
    });
    const status = await h.settle(arn);

    expect(status).toBe("FAILED");
    expect(h.runtime.describeExecution({ executionArn: arn })).toMatchObject({
      error: "ApprovalRejected",
      cause: "Approval rejected by boss@example.test: too pricey",
    });
    expect(path(await h.history(arn)).slice(3)).toEqual([
      "RequestApproval",
      "ApprovalDecision",
      "ApprovalRejected",
      ...COMPENSATE_AFTER_RESERVE,
    ]);
    const state = await orderState(order.orderId);
    expect(state.order).toMatchObject({
      status: "FAILED",
      failureReason: "Approval rejected by boss@example.test: too pricey",
    });
    expect(state.charge).toBeUndefined();
    expect((await stockOf([cat.big]))[cat.big]).toEqual({ available: 10, reserved: 0, shipped: 0 });
  });

  it("approval timed out: the virtual clock jumps past TimeoutSeconds, and it counts as rejection", async () => {
    const cat = await seedCatalogue(10);
    const order = orderInput(cat, {
      lines: [{ sku: cat.big, quantity: 2 }],
      approvalTimeoutSeconds: 3600,
    });

    // Written with the testing library users get (countersign/testing).
    const run = h.env.run(await h.start(order));
    await run.waitForTaskToken("RequestApproval");
    await h.env.advance("59m");
    expect(run.status).toBe("RUNNING");
    await h.env.advance("1m");

    expect(run).toHaveFailedWith("ApprovalTimedOut");
    expect(run).not.toHavePassedThrough("ChargePayment");
    expect(run.path().slice(3)).toEqual(["RequestApproval", ...COMPENSATE_AFTER_RESERVE]);
    expect((await orderState(order.orderId)).order?.status).toBe("FAILED");
    expect((await stockOf([cat.big]))[cat.big]).toEqual({ available: 10, reserved: 0, shipped: 0 });
  });

  it("payment declined: no retry, stock released, nothing charged", async () => {
    const cat = await seedCatalogue(10);
    const order = orderInput(cat, { payment: { method: TEST_PAYMENT_METHODS.declined } });

    const arn = await h.start(order);
    const status = await h.settle(arn);

    expect(status).toBe("FAILED");
    expect(h.runtime.describeExecution({ executionArn: arn })).toMatchObject({
      error: "PaymentDeclined",
      cause:
        "ChargePayment failed: Payment method pm_card_chargeDeclined was declined (card_declined)",
    });
    const history = await h.history(arn);
    expect(attempts(history, "ChargePayment")).toBe(1);
    expect(path(history).slice(3)).toEqual(["ChargePayment", ...COMPENSATE_AFTER_CHARGE]);
    const state = await orderState(order.orderId);
    expect(state.order?.status).toBe("FAILED");
    expect(state.charge).toBeUndefined();
    expect(state.refund).toBeUndefined();
    expect((await stockOf([cat.a]))[cat.a]).toEqual({ available: 10, reserved: 0, shipped: 0 });
    const mail = (await readOutbox(inject("sesEndpoint"))).filter((m) =>
      m.to.includes(order.customer.email),
    );
    expect(mail.map((m) => m.subject)).toEqual([
      `Your order ${order.orderId} could not be completed`,
    ]);
    // Nothing was charged, so nothing is said to be refunded; the reason is in plain words.
    const [told] = mail;
    expect(told?.text).toContain(
      `We could not complete your order ${order.orderId} because your payment method was declined.`,
    );
    expect(told?.text).toContain("You have not been charged.");
    expect(told?.text).not.toMatch(/refund|ChargePayment|card_declined|pm_card/);
    expect(told?.html).toContain("You have not been charged.");
    expect(told?.html).not.toContain("<pre");
  });

  it("transient payment errors are retried with backoff, then the charge succeeds", async () => {
    const cat = await seedCatalogue(10);
    const order = orderInput(cat, { payment: { method: TEST_PAYMENT_METHODS.flaky } });

    const arn = await h.start(order);
    const status = await h.settle(arn);

    expect(status).toBe("SUCCEEDED");
    const history = await h.history(arn);
    expect(attempts(history, "ChargePayment")).toBe(3);
    expect(path(history)).toContain("ShipOrder");
    const state = await orderState(order.orderId);
    expect(state.charge?.amountMinor).toBe(4550);
    expect(state.psp).toMatchObject({ attempts: 3, status: "SUCCEEDED" });
  });

  it("retries exhausted: compensates and fails with PaymentProviderUnavailable", async () => {
    const cat = await seedCatalogue(10);
    const order = orderInput(cat, { payment: { method: TEST_PAYMENT_METHODS.unavailable } });

    const arn = await h.start(order);
    const status = await h.settle(arn);

    expect(status).toBe("FAILED");
    expect(h.runtime.describeExecution({ executionArn: arn })).toMatchObject({
      error: "PaymentProviderUnavailable",
    });
    const history = await h.history(arn);
    expect(attempts(history, "ChargePayment")).toBe(4);
    expect(path(history).slice(3)).toEqual(["ChargePayment", ...COMPENSATE_AFTER_CHARGE]);
    const state = await orderState(order.orderId);
    expect(state.charge).toBeUndefined();
    expect((await stockOf([cat.a]))[cat.a]).toEqual({ available: 10, reserved: 0, shipped: 0 });
  });

  it("a charge whose every answer is lost: retries run out, the refund finds it by key", async () => {
    const cat = await seedCatalogue(10);
    const order = orderInput(cat, { payment: { method: TEST_PAYMENT_METHODS.lostResponse } });

    const arn = await h.start(order);
    const status = await h.settle(arn);

    expect(status).toBe("FAILED");
    expect(h.runtime.describeExecution({ executionArn: arn })).toMatchObject({
      error: "PaymentProviderUnavailable",
    });
    const state = await orderState(order.orderId);
    expect(state.psp).toMatchObject({ charges: 1, refunds: 1 });
    expect(state.charge?.amountMinor).toBe(4550);
    expect(state.refund?.amountMinor).toBe(4550);
    expect((await stockOf([cat.a]))[cat.a]).toEqual({ available: 10, reserved: 0, shipped: 0 });
  });

  it("shipping fails after the charge: refunds once and releases stock", async () => {
    const cat = await seedCatalogue(10);
    const order = orderInput(cat, {
      shipping: { line1: "Base 1", city: "McMurdo", postalCode: "0", country: "AQ" },
    });

    const arn = await h.start(order);
    const status = await h.settle(arn);

    expect(status).toBe("FAILED");
    expect(h.runtime.describeExecution({ executionArn: arn })).toMatchObject({
      error: "ShippingUnavailable",
      cause: "ShipOrder failed: The carrier does not ship to AQ",
    });
    expect(path(await h.history(arn)).slice(3)).toEqual([
      "ChargePayment",
      "ShipOrder",
      ...COMPENSATE_AFTER_CHARGE,
    ]);
    const state = await orderState(order.orderId);
    expect(state.order?.status).toBe("FAILED");
    expect(state.charge?.amountMinor).toBe(4550);
    expect(state.refund?.amountMinor).toBe(4550);
    expect(state.psp?.refunds).toBe(1);
    // The customer reads why in plain words — no step name, no carrier's message — and that the
    // charge was refunded, in the one money format.
    const [told] = (await readOutbox(inject("sesEndpoint"))).filter((m) =>
      m.to.includes(order.customer.email),
    );
    expect(told?.text).toContain("because we cannot deliver to the shipping address you gave.");
    expect(told?.text).toContain(
      "The 45.50 EUR we charged has been refunded to your payment method.",
    );
    expect(told?.text).not.toMatch(/ShipOrder|carrier does not ship|AQ/);
    expect(await stockOf([cat.a, cat.b])).toEqual({
      [cat.a]: { available: 10, reserved: 0, shipped: 0 },
      [cat.b]: { available: 10, reserved: 0, shipped: 0 },
    });
  });

  it("out of stock on one line: reserves nothing and fails naming the SKU", async () => {
    const cat = await seedCatalogue(3);
    const order = orderInput(cat, {
      lines: [
        { sku: cat.a, quantity: 1 },
        { sku: cat.b, quantity: 4 },
      ],
    });

    const arn = await h.start(order);
    const status = await h.settle(arn);

    expect(status).toBe("FAILED");
    expect(h.runtime.describeExecution({ executionArn: arn })).toMatchObject({
      error: "OutOfStock",
      cause: `ReserveStock failed: Out of stock: ${cat.b}`,
    });
    expect(path(await h.history(arn))).toEqual([
      "ValidateOrder",
      "ReserveStock",
      ...COMPENSATE_AFTER_RESERVE,
    ]);
    expect((await orderState(order.orderId)).order?.status).toBe("FAILED");
    expect(await stockOf([cat.a, cat.b])).toEqual({
      [cat.a]: { available: 3, reserved: 0, shipped: 0 },
      [cat.b]: { available: 3, reserved: 0, shipped: 0 },
    });
  });

  it("an invalid order fails naming the field, and reserves nothing", async () => {
    const cat = await seedCatalogue(10);
    const order = orderInput(cat, { lines: [{ sku: cat.a, quantity: -1 }] });

    const arn = await h.start(order);
    const status = await h.settle(arn);

    expect(status).toBe("FAILED");
    expect(h.runtime.describeExecution({ executionArn: arn })).toMatchObject({
      error: "OrderInvalid",
      cause: "ValidateOrder failed: lines[0].quantity: must be ≥ 1",
    });
    expect(path(await h.history(arn))).toEqual([
      "ValidateOrder",
      "MarkOrderFailed",
      "NotifyFailure",
      "OrderFailed",
    ]);
    expect((await stockOf([cat.a]))[cat.a]).toEqual({ available: 10, reserved: 0, shipped: 0 });
  });
});
