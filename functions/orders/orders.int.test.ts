import { describe, expect, it } from "vitest";
import { deps, orderInput, seedCatalogue, stockOf, uid } from "../../test/saga/fixtures.ts";
import { OrderAlreadyExists, OrderInvalid } from "./errors.ts";
import { MAX_LINES } from "./model.ts";
import { describeFailure, findOrder, markOrderFailed, validateOrder } from "./orders.ts";

async function refusal(raw: unknown): Promise<OrderInvalid> {
  const error = await validateOrder(deps(), raw).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OrderInvalid);
  return error as OrderInvalid;
}

/** An order input as a client might mangle it. */
type Line = { sku: string; quantity?: number };
type Loose = {
  lines: [Line, Line, ...Line[]];
  currency: string;
  customer: { email: string };
};

describe("validateOrder", () => {
  it("prices a valid order from the catalogue and records it as RECEIVED", async () => {
    const cat = await seedCatalogue();
    const input = orderInput(cat);

    const { order, approval } = await validateOrder(deps(), input);

    expect(order).toMatchObject({ orderId: input.orderId, total: 45.5, currency: "EUR" });
    expect(order.lines[1]).toEqual({ sku: cat.b, name: "Gadget", quantity: 1, unitPrice: 25.5 });
    expect(approval).toEqual({ threshold: 1000, required: 1, timeoutSeconds: 86400 });
    expect((await findOrder(deps(), input.orderId))?.status).toBe("RECEIVED");
  });

  it("takes the approval threshold from the input over the settings", async () => {
    const cat = await seedCatalogue();
    const input = orderInput(cat, { approvalThreshold: 5 });

    const { approval } = await validateOrder(deps(), input, {
      approvalThreshold: 50,
      approvalTimeoutSeconds: 60,
    });

    expect(approval).toEqual({ threshold: 5, required: 1, timeoutSeconds: 60 });
  });

  it("asks for two approvals above the dual threshold (Settings.dualApprovalThreshold)", async () => {
    const cat = await seedCatalogue();
    const input = orderInput(cat);
    const { approval } = await validateOrder(deps(), input, { dualApprovalThreshold: 40 });
    expect(approval.required).toBe(2);
  });

  it.each([
    [
      "a missing quantity",
      (i: Loose) => delete i.lines[0].quantity,
      "lines[0].quantity",
      /required/,
    ],
    ["a negative quantity", (i: Loose) => (i.lines[1].quantity = -1), "lines[1].quantity", /≥ 1/],
    ["a wrong currency", (i: Loose) => (i.currency = "JPY"), "currency", /EUR, USD, GBP/],
    ["a bad email", (i: Loose) => (i.customer.email = "nope"), "customer.email", /email/],
    ["a repeated SKU", (i: Loose) => i.lines.push({ ...i.lines[0] }), "lines[2].sku", /merge/],
  ])("refuses %s, naming the field, and records nothing", async (_, mutate, field, message) => {
    const cat = await seedCatalogue();
    const input = structuredClone(orderInput(cat));
    mutate(input as unknown as Loose);

    const error = await refusal(input);

    expect(error.issues).toContainEqual({ field, message: expect.stringMatching(message) });
    expect(await findOrder(deps(), input.orderId)).toBeUndefined();
  });

  it("refuses an unknown SKU and a currency the catalogue does not price in", async () => {
    const cat = await seedCatalogue();
    const unknown = orderInput(cat, { lines: [{ sku: uid("ghost"), quantity: 1 }] });
    const dollars = orderInput(cat, { currency: "USD" });

    expect((await refusal(unknown)).message).toMatch(/lines\[0\]\.sku: unknown SKU/);
    expect((await refusal(dollars)).message).toMatch(/currency: is USD but SKU .* priced in EUR/);
  });

  it("names every problem at once, the schema's and the catalogue's, in plain words", async () => {
    const cat = await seedCatalogue();
    const ghost = uid("ghost");
    const { customer: _missing, ...input } = orderInput(cat, {
      lines: [
        { sku: ghost, quantity: 1 },
        { sku: cat.a, quantity: 0 },
      ],
    });

    const error = await refusal(input);

    expect(error.issues).toEqual([
      { field: "customer", message: "required: an object with name and email" },
      { field: "lines[1].quantity", message: "must be ≥ 1" },
      { field: "lines[0].sku", message: expect.stringMatching(`^unknown SKU "${ghost}"`) },
    ]);
    expect(await findOrder(deps(), input.orderId)).toBeUndefined();
  });

  it("refuses a card number in any field, saying so without repeating it, and stores nothing", async () => {
    const cat = await seedCatalogue();
    const carded = { ...orderInput(cat), payment: { card: "4242424242424242" } };
    const spaced = orderInput(cat, {
      shipping: { line1: "4000 0000 0000 0002", city: "Berlin", postalCode: "1", country: "DE" },
    });

    const [card, line1] = [await refusal(carded), await refusal(spaced)];

    expect(card.message).toBe(
      "payment.card: looks like a card number; Countersign never takes card numbers: pass the payment provider's payment-method token instead (e.g. pm_card_visa)",
    );
    expect(line1.issues).toEqual([{ field: "shipping.line1", message: expect.any(String) }]);
    expect(`${card.message}${line1.message}`).not.toMatch(/4242|0002/);
    expect(await findOrder(deps(), carded.orderId)).toBeUndefined();
    expect(await findOrder(deps(), spaced.orderId)).toBeUndefined();
  });

  it("refuses fields an order does not take, and a payment method that is not a token", async () => {
    const cat = await seedCatalogue();
    const extra = orderInput(cat, {
      customer: { name: "Ada", email: "ada@example.test", phone: "+44 20 7946 0958" },
    } as never);
    const notToken = orderInput(cat, { payment: { method: "visa" } });

    expect((await refusal(extra)).issues).toEqual([
      { field: "customer", message: "has a field an order does not take (phone): remove it" },
    ]);
    expect((await refusal(notToken)).issues).toEqual([
      { field: "payment.method", message: "must be a payment-method token such as pm_card_visa" },
    ]);
  });

  it(`refuses more than ${MAX_LINES} lines and more than 256 KiB`, async () => {
    const cat = await seedCatalogue();
    const many = orderInput(cat, {
      lines: Array.from({ length: MAX_LINES + 1 }, (_, i) => ({
        sku: `${cat.a}-${i}`,
        quantity: 1,
      })),
    });
    const huge = { ...orderInput(cat), note: "x".repeat(256 * 1024) };

    expect((await refusal(many)).message).toMatch(/lines: at most 50 lines/);
    expect((await refusal(huge)).message).toMatch(/\(order\): is \d+ bytes; the limit is 262144/);
    expect(await stockOf([cat.a])).toEqual({ [cat.a]: { available: 10, reserved: 0, shipped: 0 } });
  });

  it("is a no-op when repeated, and refuses the same id with different content", async () => {
    const cat = await seedCatalogue();
    const input = orderInput(cat);
    const first = await validateOrder(deps(), input);

    const again = await validateOrder(deps(), input);
    const other = validateOrder(deps(), { ...input, lines: [{ sku: cat.a, quantity: 9 }] });

    expect(again).toEqual(first);
    await expect(other).rejects.toBeInstanceOf(OrderAlreadyExists);
  });
});

describe("markOrderFailed", () => {
  it("records the reason from a Lambda error's cause, even without a prior order record", async () => {
    const orderId = uid("ord");
    const cause = JSON.stringify({ errorType: "OrderInvalid", errorMessage: "lines: required" });

    const out = await markOrderFailed(deps(), orderId, {
      step: "ValidateOrder",
      error: "OrderInvalid",
      cause,
    });

    expect(out).toEqual({
      orderId,
      error: "OrderInvalid",
      reason: "ValidateOrder failed: lines: required",
    });
    expect(await findOrder(deps(), orderId)).toMatchObject({
      status: "FAILED",
      failureError: "OrderInvalid",
    });
  });

  it("words approval timeouts and rejections for people", () => {
    expect(describeFailure({ step: "RequestApproval", error: "States.Timeout" })).toEqual({
      error: "ApprovalTimedOut",
      reason: "Approval timed out: nobody decided in time",
    });
    const cause = JSON.stringify({
      decision: "reject",
      by: "boss@example.test",
      comment: "too much",
    });
    expect(
      describeFailure({ step: "RequestApproval", error: "ApprovalRejected", cause }).reason,
    ).toBe("Approval rejected by boss@example.test: too much");
  });
});
