/**
 * The customer's emails say what happened: the reason in plain words (no step names or provider
 * messages), "refunded" only when a refund happened, amounts in the one money format (in the
 * customer's locale when the order gives one), and a real HTML part, not a <pre> of the text.
 */
import { describe, expect, it } from "vitest";
import { money } from "../approvals/render.ts";
import { failedEmail, shippedEmail } from "./customer-emails.ts";
import { customerReason } from "./customer-reasons.ts";
import type { LedgerEntry, OrderItem } from "./model.ts";

const order = (over: Partial<OrderItem> = {}): OrderItem => ({
  orderId: "order-1001",
  status: "FAILED",
  customer: { name: "Ada", email: "ada@example.com" },
  currency: "EUR",
  lines: [{ sku: "KB-1", name: "Keyboard", quantity: 2, unitPrice: 1528, unitPriceMinor: 152800 }],
  total: 3056,
  totalMinor: 305600,
  payment: { method: "pm_card_visa" },
  shipping: { line1: "1 Main St", city: "Zz", postalCode: "1", country: "ZZ" },
  inputHash: "h",
  createdAt: "2026-12-02T15:49:42.714Z",
  updatedAt: "2026-12-02T15:49:42.714Z",
  failureReason: "ShipOrder failed: The carrier does not ship to ZZ",
  failureError: "ShippingUnavailable",
  ...over,
});

const entry = (kind: "CHARGE" | "REFUND"): LedgerEntry => ({
  orderId: "order-1001",
  kind,
  amountMinor: 305600,
  currency: "EUR",
  providerRef: "ch_1",
  at: "2026-12-02T15:50:00.000Z",
});

describe("customer emails", () => {
  it("give the reason in plain words, never the step or the carrier's message", () => {
    const mail = failedEmail(order(), { charge: entry("CHARGE"), refund: entry("REFUND") });
    expect(mail.text).toContain(
      "We could not complete your order order-1001 because we cannot deliver to the shipping address you gave.",
    );
    for (const part of [mail.text, mail.html]) {
      expect(part).not.toContain("ShipOrder");
      expect(part).not.toContain("carrier does not ship");
    }
  });

  it("say refunded only when a refund happened", () => {
    const notCharged = failedEmail(order({ failureError: "OutOfStock" }), {});
    expect(notCharged.text).toContain("You have not been charged.");
    expect(notCharged.text).not.toMatch(/refund/i);
    const refunded = failedEmail(order(), { charge: entry("CHARGE"), refund: entry("REFUND") });
    expect(refunded.text).toContain("The 3,056.00 EUR we charged has been refunded");
  });

  it("write money one way everywhere: the approval's summary, the shipped mail, the failed mail", () => {
    expect(money(3056, "EUR")).toBe("3,056.00 EUR");
    expect(shippedEmail(order(), { charge: entry("CHARGE") }).text).toContain(
      "Total charged: 3,056.00 EUR",
    );
    const german = order({ customer: { name: "Ada", email: "a@x.de", locale: "de-DE" } });
    expect(shippedEmail(german, { charge: entry("CHARGE") }).text).toContain(
      "Total charged: 3.056,00 EUR",
    );
  });

  it("have an HTML part of their own, not the text in a <pre>", () => {
    for (const mail of [
      shippedEmail(order(), { charge: entry("CHARGE") }),
      failedEmail(order(), {}),
    ]) {
      expect(mail.html).toMatch(/^<!doctype html>/);
      expect(mail.html).not.toContain("<pre");
      expect(mail.html).toContain("<p>Hello Ada,</p>");
    }
  });

  it("a failure nobody mapped reads as a problem on our side, with no detail", () => {
    expect(customerReason({ failureError: "States.TaskFailed" })).toBe("of a problem on our side");
  });
});
