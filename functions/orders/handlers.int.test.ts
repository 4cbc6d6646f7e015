import { describe, expect, it } from "vitest";
import { readOutbox } from "../../local/emulators/ses-local.ts";
import { deps, orderInput, orderState, seedCatalogue } from "../../test/saga/fixtures.ts";
import { handler as chargePayment } from "../charge-payment.ts";
import { handler as notifyCustomer } from "../notify-customer.ts";
import { handler as reserveStock } from "../reserve-stock.ts";
import { handler as shipOrder } from "../ship-order.ts";
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

  it("charge once for two concurrent deliveries, both answering with the same charge", async () => {
    const input = orderInput(await seedCatalogue());
    await recordOrder(deps(), input);

    const [a, b] = await Promise.all([
      chargePayment({ orderId: input.orderId }, context),
      chargePayment({ orderId: input.orderId }, context),
    ]);

    expect(b).toEqual(a);
    expect((await orderState(input.orderId)).psp?.charges).toBe(1);
  });

  it("email the customer once when the notification is delivered twice", async () => {
    const input = orderInput(await seedCatalogue());
    await recordOrder(deps(), input);
    for (const step of [reserveStock, chargePayment, shipOrder]) {
      await step({ orderId: input.orderId }, context);
    }

    const event = { orderId: input.orderId, kind: "completed" };
    const [first, second] = [
      await notifyCustomer(event, context),
      await notifyCustomer(event, context),
    ];

    expect(second).toEqual(first);
    const mails = (await readOutbox(process.env.AWS_ENDPOINT_URL_SESV2 as string)).filter((m) =>
      m.to.includes(input.customer.email),
    );
    expect(mails).toHaveLength(1);
    expect((await orderState(input.orderId)).order?.status).toBe("COMPLETED");
  });
});
