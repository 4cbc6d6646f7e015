/**
 * Bad requests fail at once: on the REAL local runtime, a request with a missing title, an unknown
 * approver group, more approvals required than approvers, or a decision-form field of an unknown
 * type fails its task with `Approval.InvalidRequest` whose cause names the field — no time passes,
 * nothing is stored, nothing is emailed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailTo, people } from "./harness.ts";
import { type World, world } from "./runtime.ts";

let w: World;
beforeAll(async () => {
  w = await world({ settings: { groups: { finance: ["fin-1@shop.test", "fin-2@shop.test"] } } });
});
afterAll(async () => {
  await w.close();
});

function request(who: ReturnType<typeof people>, extra: object) {
  return {
    title: "Laptop for the new hire",
    summary: [{ type: "money", label: "Amount", amount: 1800, currency: "EUR" }],
    requester: who.requester,
    approvers: [who.a, who.b],
    ...extra,
  };
}

describe("a request that breaks the contract", () => {
  const cases: [string, (who: ReturnType<typeof people>) => object, RegExp][] = [
    ["missing title", (who) => ({ ...request(who, {}), title: undefined }), /title: is required/],
    [
      "unknown approver group",
      (who) => request(who, { approvers: [who.a, "legal"] }),
      /approvers\.1: unknown approver group "legal": Settings\.groups has finance/,
    ],
    [
      "required above the number of approvers",
      (who) => request(who, { required: 3 }),
      /required: is 3 but only 2 approver\(s\) other than the requester/,
    ],
    [
      "a form field of an unknown type",
      (who) => request(who, { decisionForm: [{ name: "when", label: "When", type: "date" }] }),
      /decisionForm\.0\.type: must have a type of "text", "number" or "choice"/,
    ],
  ];

  for (const [name, make, cause] of cases) {
    it(`fails at once naming the field: ${name}`, async () => {
      const who = people();
      const before = w.clock.now();
      const arn = await w.start(make(who));
      const done = await w.status(arn);
      expect(w.clock.now()).toBe(before);
      expect(done.status).toBe("SUCCEEDED");
      expect(done.output).toMatchObject({
        compensated: true,
        reason: { error: "Approval.InvalidRequest", cause: expect.stringMatching(cause) },
      });
      expect(await mailTo(who.a)).toEqual([]);
      expect(await mailTo(who.b)).toEqual([]);
      expect(await mailTo(who.requester)).toEqual([]);
      expect(w.log.lines.join("\n")).toContain("approval request refused");
      const pending = await w.api.approvals.store.forApprover(who.a);
      expect(pending).toEqual([]);
    });
  }
});
