import { describe, expect, it } from "vitest";
import { chooseApprovers, nextActionAt, reminderTimes, resolveApprovers } from "./policy.ts";

describe("approval policy", () => {
  const settings = {
    approvers: ["m1@shop.test", "m2@shop.test", "m3@shop.test"],
    groups: { finance: ["f1@shop.test", "F2@shop.test"] },
  };

  it("resolves groups from Settings.groups and names an unknown group by its index", () => {
    expect(resolveApprovers(["finance", "x@shop.test"], settings, "approvers")).toEqual({
      addresses: ["f1@shop.test", "f2@shop.test", "x@shop.test"],
      issues: [],
    });
    const { issues } = resolveApprovers(["x@shop.test", "legal"], settings, "escalation.to");
    expect(issues).toEqual([
      {
        field: "escalation.to.1",
        message: expect.stringContaining(
          'unknown approver group "legal": Settings.groups has finance',
        ),
      },
    ]);
  });

  it("never asks the requester, and has no approvers of its own", () => {
    const r = chooseApprovers(settings, { requester: "M1@shop.test", required: 1 });
    expect(r).toEqual({ approvers: ["m2@shop.test", "m3@shop.test"], issues: [] });
    expect(chooseApprovers({}, { requester: "r@shop.test", required: 1 }).issues[0]?.field).toBe(
      "approvers",
    );
  });

  it("refuses M of N when fewer than M approvers other than the requester are asked", () => {
    const r = chooseApprovers(settings, {
      requester: "r@shop.test",
      approvers: ["finance"],
      required: 3,
    });
    expect(r.issues).toEqual([
      { field: "required", message: expect.stringContaining("is 3 but only 2 approver(s)") },
    ]);
  });

  it("reminds an hour before expiry by default, or at the request's offsets", () => {
    const start = new Date("2030-01-01T00:00:00Z");
    expect(reminderTimes(start, new Date("2030-01-02T00:00:00Z"))).toEqual([
      "2030-01-01T23:00:00.000Z",
    ]);
    expect(reminderTimes(start, new Date("2030-01-01T01:00:00Z"))).toEqual([
      "2030-01-01T00:45:00.000Z",
    ]);
    expect(reminderTimes(start, new Date("2030-01-02T00:00:00Z"), [7200, 600, 999_999])).toEqual([
      "2030-01-01T22:00:00.000Z",
      "2030-01-01T23:50:00.000Z",
    ]);
  });

  it("looks next at the earliest of the next reminder, the escalation and the expiry", () => {
    const rec = {
      remindAts: ["2030-01-01T10:00:00.000Z", "2030-01-01T11:00:00.000Z"],
      expiresAt: "2030-01-01T12:00:00.000Z",
      escalation: { at: "2030-01-01T09:30:00.000Z", to: ["e@shop.test"] },
    };
    expect(nextActionAt(rec)).toBe("2030-01-01T09:30:00.000Z");
    expect(nextActionAt({ ...rec, escalatedAt: "x" })).toBe("2030-01-01T10:00:00.000Z");
    expect(nextActionAt({ ...rec, escalatedAt: "x", remindersSent: 2 })).toBe(rec.expiresAt);
  });
});
