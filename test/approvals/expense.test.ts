/**
 * The second workflow, `stacks/expense-approval.asl.json` (local ARNs filled as `npm start` does),
 * on the REAL local runtime with the same approvals code as the order saga: one approver up to
 * the limit, two above it, and the decision form's approved amount and cost centre back in the
 * workflow's output.
 */
import { afterEach, describe, expect, it } from "vitest";
import { localDefinition } from "../../local/platform/functions.ts";
import { STATE_MACHINES } from "../../stacks/topology.ts";
import { decideByLink, lastMail, linkFor } from "./flows.ts";
import { mailTo, people } from "./harness.ts";
import { type World, world } from "./runtime.ts";

const EXPENSES = STATE_MACHINES.find((m) => m.name === "ExpenseApproval")!;

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

function claim(who: ReturnType<typeof people>, amount: number) {
  return {
    expenseId: `exp-${Math.random().toString(36).slice(2, 8)}`,
    employee: who.requester,
    description: "Train to the customer",
    amount,
    currency: "EUR",
    category: "travel",
  };
}

describe("the expense approval workflow", () => {
  it("needs one approver up to the limit; the form's amount and cost centre come back", async () => {
    const who = people();
    w = await world({
      definition: localDefinition(EXPENSES),
      settings: { approvers: [who.a, who.b] },
    });
    const input = claim(who, 240);
    const arn = await w.start(input);
    const mail = await lastMail(who.a);
    expect(mail.subject).toBe(
      `Approval requested: Expense ${input.expenseId}: Train to the customer (240.00 EUR)`,
    );
    expect(mail.text).toContain("Amount claimed: 240.00 EUR");

    const page = await (await fetch(await linkFor(who.a))).text();
    expect(page).toContain('name="form.approvedAmount" type="number"');
    expect(page).toContain('<option value="R&amp;D">R&amp;D</option>');
    const tooMuch = await decideByLink(w, await linkFor(who.a), "approve", {
      "form.approvedAmount": "300",
      "form.costCentre": "Sales",
    });
    expect(tooMuch.status).toBe(400);
    expect(await tooMuch.text()).toContain(
      "form.approvedAmount: Approved amount (EUR) must be at most 240",
    );
    expect((await w.status(arn)).status).toBe("RUNNING");

    const ok = await decideByLink(w, await linkFor(who.a), "approve", {
      "form.approvedAmount": "200",
      "form.costCentre": "Sales",
    });
    expect(ok.status).toBe(200);
    expect(await w.status(arn)).toMatchObject({
      status: "SUCCEEDED",
      output: {
        expenseId: input.expenseId,
        status: "APPROVED",
        approvedAmount: 200,
        costCentre: "Sales",
        approvedBy: [who.a],
      },
    });
  });

  it("needs two approvers above the limit, and the employee is never one of them", async () => {
    const who = people();
    w = await world({
      definition: localDefinition(EXPENSES),
      settings: { approvers: [who.a, who.b, who.requester] },
    });
    const arn = await w.start(claim(who, 1450));
    const form = { "form.approvedAmount": "1450", "form.costCentre": "R&D" };
    expect((await decideByLink(w, await linkFor(who.a), "approve", form)).status).toBe(200);
    expect((await w.status(arn)).status).toBe("RUNNING");
    expect((await decideByLink(w, await linkFor(who.b), "approve", form)).status).toBe(200);
    expect((await w.status(arn)).output).toMatchObject({
      status: "APPROVED",
      approvedAmount: 1450,
      costCentre: "R&D",
      approvedBy: [who.a, who.b],
    });
    const toEmployee = await mailTo(who.requester);
    expect(toEmployee.filter((m) => m.subject.startsWith("Approval requested"))).toEqual([]);
  });
});
