/**
 * The approvals' emails: the sign-in mail speaks of signing in (not deciding) and every time is
 * written whole with its zone; a reminder on an M-of-N request says how far it has come.
 */
import { describe, expect, it } from "vitest";
import { approvalRequestEmail, magicLinkEmail } from "./emails.ts";

describe("the sign-in email", () => {
  it("speaks of signing in, not of deciding, and shows its expiry whole", () => {
    const mail = magicLinkEmail({
      link: "http://127.0.0.1:3000/auth/magic?t=x",
      expiresAt: "2026-12-02T15:49:42.714Z",
    });
    expect(mail.html).not.toMatch(/decid/i);
    expect(mail.text).not.toMatch(/decid/i);
    expect(mail.text).toContain("until Dec 2, 2026, 3:49 PM UTC");
  });
});

describe("an approver's reminder on an M-of-N request", () => {
  it("says how far it has come, as every list does", () => {
    const mail = approvalRequestEmail({
      request: {
        title: "Order order-1001 for 3,056.00 EUR",
        summary: [],
        requester: "sales@example.com",
        expiresAt: "2026-12-02T15:49:42.714Z",
        required: 2,
        approvals: [{ by: "a@example.com", at: "2026-12-02T15:00:00.000Z", decision: "approve" }],
      },
      approverCount: 3,
      link: "http://127.0.0.1:3000/approvals/x?sig=y",
      reminder: true,
    });
    expect(mail.text).toContain("It needs 2 of 3 approvers. 1 of 2 approvals so far.");
    expect(mail.text).toContain("The request expires at Dec 2, 2026, 3:49 PM UTC.");
  });
});
