import { describe, expect, it } from "vitest";
import { NoApproversError } from "./errors.ts";
import { chooseApprovers, reminderTime } from "./policy.ts";

describe("approval policy", () => {
  const settings = { approvers: ["m1@shop.test", "m2@shop.test", "m3@shop.test"] };

  it("needs one approval above the threshold and two above the dual threshold", () => {
    expect(chooseApprovers(settings, { total: 1500, requester: "r@shop.test" }).required).toBe(1);
    expect(chooseApprovers(settings, { total: 10_000, requester: "r@shop.test" }).required).toBe(1);
    expect(chooseApprovers(settings, { total: 10_000.01, requester: "r@shop.test" }).required).toBe(
      2,
    );
    expect(
      chooseApprovers(
        { ...settings, dualApprovalThreshold: 5000 },
        { total: 6000, requester: "r@shop.test" },
      ).required,
    ).toBe(2);
  });

  it("never asks the requester, and has no approvers of its own", () => {
    expect(chooseApprovers(settings, { total: 2000, requester: "M1@shop.test" }).approvers).toEqual(
      ["m2@shop.test", "m3@shop.test"],
    );
    expect(() => chooseApprovers({}, { total: 2000, requester: "r@shop.test" })).toThrow(
      NoApproversError,
    );
  });

  it("says what to configure when there are too few approvers", () => {
    expect(() =>
      chooseApprovers({ approvers: ["r@shop.test"] }, { total: 2000, requester: "r@shop.test" }),
    ).toThrow(NoApproversError);
    expect(() =>
      chooseApprovers({ approvers: ["a@shop.test"] }, { total: 20_000, requester: "r@shop.test" }),
    ).toThrow(/needs 2 approvals but only 1/);
  });

  it("reminds an hour before expiry, or at three quarters of a short request", () => {
    const start = new Date("2030-01-01T00:00:00Z");
    expect(reminderTime(start, new Date("2030-01-02T00:00:00Z")).toISOString()).toBe(
      "2030-01-01T23:00:00.000Z",
    );
    expect(reminderTime(start, new Date("2030-01-01T01:00:00Z")).toISOString()).toBe(
      "2030-01-01T00:45:00.000Z",
    );
  });
});
