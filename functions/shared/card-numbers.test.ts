import { describe, expect, it } from "vitest";
import {
  cardNumberMessage,
  containsCardNumber,
  findCardNumber,
  luhnValid,
} from "./card-numbers.ts";

describe("card-like numbers", () => {
  it("finds Luhn-valid 13–19 digit numbers, plain or grouped by spaces or dashes", () => {
    for (const text of [
      "4242424242424242",
      "4242 4242 4242 4242",
      "4242-4242-4242-4242",
      "card: 4000 0000 0000 0002, thanks",
      "pm_4242424242424242", // after an underscore: still one
      '{"card":"4242424242424242"}',
      "378282246310005", // 15 digits (Amex test number)
      "4222222222222", // 13 digits
      "6011000990139424",
      "2223003122003222", // Mastercard's 2-series
      "5555555555554444",
      "36227206271667", // Diners, 14 digits
      "3566002020360505", // JCB
    ]) {
      expect(containsCardNumber(text), text).toBe(true);
    }
  });

  it("leaves alone what is not one: Luhn failures, short and long digit runs, other separators", () => {
    for (const text of [
      "4242424242424241", // Luhn fails
      "424242424242", // 12 digits
      "42424242424242424242424", // 23 digits: an id, not a card
      "4242.4242.4242.4242",
      "4242  4242  4242  4242", // two spaces
      "pm_card_visa",
      "ord-20261126120101-3f9a1c",
      "2026-11-26T12:01:01.123Z",
      "1764158461129", // a time in ms that passes Luhn
      "1000000000000008", // Luhn-valid, but no card network issues numbers starting with 1
      "ord-20261207150024-d5b500", // an id built from a date and time that passes Luhn
      "3100000000000003", // Luhn-valid, but 31 is no network's prefix
      // A SHA-256 digest whose digits hold a Luhn-valid Visa-like run (seen in an audit ledger).
      "9f2c4242424242424242e07b5d1a",
      "ch_ab4242424242424242cd",
    ]) {
      expect(containsCardNumber(text), text).toBe(false);
    }
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
  });

  it("names the field in nested objects, arrays, numbers and keys", () => {
    expect(findCardNumber({ payment: { card: "4242424242424242" } })).toEqual({
      field: "payment.card",
    });
    expect(findCardNumber({ payment: { card: 4242424242424242 } })).toEqual({
      field: "payment.card",
    });
    expect(
      findCardNumber({ lines: [{ sku: "A" }, { sku: "B", note: "4242 4242 4242 4242" }] }),
    ).toEqual({ field: "lines[1].note" });
    expect(findCardNumber({ payment: { "4242424242424242": true } })).toEqual({
      field: "payment (a key)",
    });
    expect(findCardNumber({ payment: { method: "pm_card_visa" }, total: 2998 })).toBeUndefined();
  });

  it("explains the refusal with the field and the fix, never the number", () => {
    const message = cardNumberMessage("payment.card");
    expect(message).toMatch(/^payment\.card: looks like a card number/);
    expect(message).toContain("pm_card_visa");
    expect(containsCardNumber(message)).toBe(false);
  });
});
