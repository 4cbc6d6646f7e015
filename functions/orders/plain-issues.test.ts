/** zod's issues about an order, in the words a person placing it reads. */
import { describe, expect, it } from "vitest";
import { orderInputSchema } from "./model.ts";
import { plainIssue } from "./plain-issues.ts";

const valid = {
  orderId: "order-1",
  customer: { name: "Ada", email: "ada@example.com" },
  currency: "EUR",
  lines: [{ sku: "MOUSE", quantity: 1 }],
  payment: { method: "pm_card_visa" },
  shipping: { line1: "1 Main St", city: "Dublin", postalCode: "D01", country: "IE" },
};

function issues(order: unknown) {
  const parsed = orderInputSchema.safeParse(order);
  return parsed.success ? [] : parsed.error.issues.map((i) => plainIssue(i, orderInputSchema));
}

describe("plainIssue", () => {
  it("names a missing group and what goes in it", () => {
    const { customer: _c, payment: _p, ...rest } = valid;
    expect(issues(rest)).toEqual([
      { field: "customer", message: "required: an object with name and email" },
      { field: "payment", message: "required: an object with method" },
    ]);
  });

  it("says what a value must be instead of what zod expected", () => {
    expect(
      issues({ ...valid, lines: "MOUSE", shipping: { ...valid.shipping, city: 7, name: "" } }),
    ).toEqual([
      { field: "lines", message: "must be a list of objects with sku and quantity, not text" },
      { field: "shipping.name", message: "must not be empty" },
      { field: "shipping.city", message: "must be text, not number" },
    ]);
  });

  it("keeps the schema's own words, and never zod's raw ones", () => {
    const all = issues({
      ...valid,
      customer: { name: "Ada", email: "nope" },
      lines: [{ sku: "X", quantity: 0 }],
      approvalThreshold: -1,
    });
    expect(all).toEqual([
      { field: "customer.email", message: "must be an email address" },
      { field: "lines[0].quantity", message: "must be ≥ 1" },
      { field: "approvalThreshold", message: "must be ≥ 0" },
    ]);
    expect(JSON.stringify(all)).not.toMatch(/Invalid|expected|received/);
  });
});
