import { describe, expect, it } from "vitest";
import {
  deps,
  orderInput,
  orderState,
  seedCatalogue,
  TEST_PAYMENT_METHODS,
} from "../../test/saga/fixtures.ts";
import { PaymentDeclined, PaymentProviderUnavailable } from "./errors.ts";
import { validateOrder } from "./orders.ts";
import { SimulatedPaymentProvider } from "./payment-provider.ts";
import { chargeKey, chargeOrder, refundOrder } from "./payments.ts";

async function validOrder(method: string = TEST_PAYMENT_METHODS.succeeds) {
  const input = orderInput(await seedCatalogue(), { payment: { method } });
  await validateOrder(deps(), input);
  return input.orderId;
}

describe("chargeOrder", () => {
  it("charges the total once even when delivered twice", async () => {
    const orderId = await validOrder();

    const first = await chargeOrder(deps(), orderId);
    const second = await chargeOrder(deps(), orderId);

    expect(second).toEqual(first);
    expect(first).toMatchObject({ amount: 45.5, currency: "EUR" });
    const state = await orderState(orderId);
    expect(state.psp).toMatchObject({ status: "SUCCEEDED", amountMinor: 4550, attempts: 1 });
    expect(state.charge).toMatchObject({ amountMinor: 4550, providerRef: first.chargeId });
    expect(state.order?.status).toBe("CHARGED");
  });

  it("declines the decline card finally and records nothing", async () => {
    const orderId = await validOrder(TEST_PAYMENT_METHODS.declined);

    await expect(chargeOrder(deps(), orderId)).rejects.toBeInstanceOf(PaymentDeclined);

    expect((await orderState(orderId)).charge).toBeUndefined();
  });

  it("fails the flaky card transiently twice, then charges it", async () => {
    const orderId = await validOrder(TEST_PAYMENT_METHODS.flaky);

    await expect(chargeOrder(deps(), orderId)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
    await expect(chargeOrder(deps(), orderId)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
    const charge = await chargeOrder(deps(), orderId);

    expect(charge.amount).toBe(45.5);
  });
});

describe("refundOrder", () => {
  it("refunds at most once", async () => {
    const orderId = await validOrder();
    await chargeOrder(deps(), orderId);

    const first = await refundOrder(deps(), orderId);
    const second = await refundOrder(deps(), orderId);

    expect(second).toEqual(first);
    const state = await orderState(orderId);
    expect(state.psp?.refunds).toBe(1);
    expect(state.refund).toMatchObject({ amountMinor: 4550, providerRef: first.refundId });
  });

  it("finds and refunds a charge whose answer never reached the ledger", async () => {
    const orderId = await validOrder();
    const provider = new SimulatedPaymentProvider(deps());
    await provider.charge({
      key: chargeKey(orderId),
      amountMinor: 4550,
      currency: "EUR",
      paymentMethod: TEST_PAYMENT_METHODS.succeeds,
    });

    const out = await refundOrder(deps(), orderId);

    expect(out.refunded).toBe(true);
    const state = await orderState(orderId);
    expect(state.charge?.amountMinor).toBe(4550);
    expect(state.refund?.amountMinor).toBe(4550);
  });

  it("refunds nothing when nothing was charged", async () => {
    const orderId = await validOrder(TEST_PAYMENT_METHODS.declined);

    expect(await refundOrder(deps(), orderId)).toEqual({ orderId, refunded: false });
    expect((await orderState(orderId)).refund).toBeUndefined();
  });
});
