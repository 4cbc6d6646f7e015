/**
 * `statusAt`: from the instant a request expires it reads EXPIRED everywhere — `approvals list`
 * (which lists only what is still PENDING by this rule), the dashboard's views and the link's
 * page — without waiting for the sweep to write it.
 */
import { describe, expect, it } from "vitest";
import { statusAt } from "./types.ts";

const rec = { status: "PENDING" as const, expiresAt: "2030-01-01T10:00:00.000Z" };

describe("statusAt", () => {
  it("is PENDING until the expiry instant and EXPIRED from it, before any sweep", () => {
    expect(statusAt(rec, Date.parse("2030-01-01T09:59:59.999Z"))).toBe("PENDING");
    expect(statusAt(rec, Date.parse("2030-01-01T10:00:00.000Z"))).toBe("EXPIRED");
    expect(statusAt(rec, new Date("2030-01-01T10:00:00.500Z"))).toBe("EXPIRED");
  });

  it("leaves decided requests as they are", () => {
    const approved = { ...rec, status: "APPROVED" as const };
    expect(statusAt(approved, Date.parse("2031-01-01T00:00:00Z"))).toBe("APPROVED");
  });
});
