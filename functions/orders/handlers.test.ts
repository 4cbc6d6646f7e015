import { describe, expect, it } from "vitest";
import { deps, orderInput, orderState, seedCatalogue } from "../../test/saga/fixtures.ts";
import { handler as chargePayment } from "../charge-payment.ts";
import { handler as reserveStock } from "../reserve-stock.ts";
import { handler as validateOrder } from "../validate-order.ts";
import { validateOrder as recordOrder } from "./orders.ts";

const context = { getRemainingTimeInMillis: () => 30_000 } as never;

describe("saga handlers", () => {
  it("refuse a malformed event, naming the field and where to fix it", async () => {
    await expect(reserveStock({ order: "x" }, context)).rejects.toMatchObject({
      name: "TaskInputInvalid",
      message: expect.stringMatching(/orderId: .*check the state's Arguments/),
    });
  });

  it("refuse an order whose id is not the execution name", async () => {
    const input = orderInput(await seedCatalogue());

    const out = validateOrder({ order: input, executionName: "other-name" }, context);

    await expect(out).rejects.toMatchObject({
      name: "OrderInvalid",
      message: expect.stringMatching(
        /^orderId: .*start the saga with the order id as execution name/,
      ),
    });
  });

  it("replay the stored result to a duplicate delivery instead of charging again", async () => {
    const input = orderInput(await seedCatalogue());
    await recordOrder(deps(), input);

    const [first, second] = [
      await chargePayment({ orderId: input.orderId }, context),
      await chargePayment({ orderId: input.orderId }, context),
    ];

    expect(second).toEqual(first);
    expect((await orderState(input.orderId)).psp).toMatchObject({ attempts: 1, charges: 1 });
  });

  it("let one of two concurrent deliveries through and tell the other to retry", async () => {
    const input = orderInput(await seedCatalogue());
    await recordOrder(deps(), input);

    const outcomes = await Promise.allSettled([
      chargePayment({ orderId: input.orderId }, context),
      chargePayment({ orderId: input.orderId }, context),
    ]);

    const rejected = outcomes.filter((o) => o.status === "rejected");
    expect(outcomes.some((o) => o.status === "fulfilled")).toBe(true);
    for (const r of rejected) {
      expect((r as PromiseRejectedResult).reason.name).toBe("IdempotencyAlreadyInProgressError");
    }
    expect((await orderState(input.orderId)).psp?.charges).toBe(1);
  });
});
