/**
 * Escalation, delegation and reassignment on the REAL local runtime, DynamoDB Local and the SES
 * outbox, with time skipped on the runtime's virtual clock and the sweep run as its schedule would.
 */
import { afterEach, describe, expect, it } from "vitest";
import { dashboard, decideByLink, lastMail, linkFor } from "./flows.ts";
import { mailTo, people, TEST_OPERATORS } from "./harness.ts";
import { type World, world } from "./runtime.ts";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const HOUR = 3600 * 1000;

function request(who: ReturnType<typeof people>, extra: object = {}) {
  return {
    title: "Refund 420.00 EUR to a customer",
    summary: [{ type: "money", label: "Refund", amount: 420, currency: "EUR" }],
    requester: who.requester,
    approvers: [who.a],
    ...extra,
  };
}

describe("escalation", () => {
  it("after an hour with no decision, the escalation approvers get mail and can decide; the timeline shows it", async () => {
    const who = people();
    w = await world({ timeoutSeconds: 4 * 3600 });
    const arn = await w.start(request(who, { escalation: { after: 3600, to: [who.c] } }));
    const first = await linkFor(who.a);
    await w.clock.advance(HOUR - 1000);
    await w.api.approvals.sweep();
    expect(await mailTo(who.c)).toEqual([]);

    await w.clock.advance(1000);
    await w.api.approvals.sweep();
    await w.api.approvals.sweep();
    const asked = (await mailTo(who.c)).filter((m) => m.subject.startsWith("Escalated:"));
    expect(asked).toHaveLength(1);
    expect(asked[0]?.text).toContain(`as well as ${who.a}`);
    const told = await lastMail(who.a, /^Escalated:/);
    expect(told.text).toContain(`${who.c} was asked too. Your link still works`);
    expect((await fetch(first)).status).toBe(200); // the first approver keeps their link

    expect((await decideByLink(w, await linkFor(who.c), "approve")).status).toBe(200);
    const done = await w.status(arn);
    expect(done.output).toMatchObject({
      charged: true,
      approval: { decision: "approve", by: who.c, onBehalfOf: null },
    });

    const view = await dashboard(w, who.c);
    const id = (
      (await view.get("/api/approvals?status=ALL")).body.items as { approvalId: string }[]
    )[0]?.approvalId;
    const timeline = await view.get(`/api/approvals/${id}/timeline`);
    const types = (timeline.body.entries as { type: string }[]).map((e) => e.type);
    expect(types.slice(0, 1)).toEqual(["requested"]);
    expect(types).toContain("escalated");
    expect(types.indexOf("escalated")).toBeLessThan(types.indexOf("voted"));
    expect(types.slice(-3)).toEqual(["voted", "decided", "delivered"]);
    const escalated = (timeline.body.entries as { type: string; data: { to: string[] } }[]).find(
      (e) => e.type === "escalated",
    );
    expect(escalated?.data.to).toEqual([who.c]);
  });
});

describe("delegation", () => {
  it("A delegates to B from the dashboard; B decides for A; the decision reads B for A; A is told", async () => {
    const who = people();
    w = await world({ settings: { approvers: [who.a] } });
    const a = await dashboard(w, who.a);
    const until = new Date(w.clock.now() + 7 * 24 * HOUR).toISOString();
    const set = await a.put("/api/delegation", { to: who.b, endsAt: until });
    expect(set.status).toBe(200);
    expect((await a.get("/api/delegation")).body.delegation).toMatchObject({
      from: who.a,
      to: who.b,
    });

    const arn = await w.start(request(who));
    const mail = await lastMail(who.b);
    expect(mail.text).toContain(`You decide on behalf of ${who.a}`);
    const notice = await lastMail(who.a, /Sent to your delegate/);
    expect(notice.text).toContain(`${who.b} was asked to decide this request for you`);
    expect(await mailTo(who.a)).not.toContainEqual(
      expect.objectContaining({ subject: expect.stringMatching(/^Approval requested/) }),
    );

    const res = await decideByLink(w, await linkFor(who.b), "approve", {
      comment: "covering for A",
    });
    expect(await res.text()).toContain(`You (for ${who.a}) approved`);
    const done = await w.status(arn);
    expect(done.output).toMatchObject({
      charged: true,
      approval: {
        decision: "approve",
        by: who.b,
        onBehalfOf: who.a,
        comment: "covering for A",
        votes: [{ by: who.b, onBehalfOf: who.a, decision: "approve" }],
      },
    });
  });

  it("never lets the requester decide as a delegate: the request stays with the approver", async () => {
    const who = people();
    // The requester is an approver too (so they may sign in), never of their own request.
    w = await world({ settings: { approvers: [who.a, who.requester] } });
    const a = await dashboard(w, who.a);
    await a.put("/api/delegation", {
      to: who.requester,
      endsAt: new Date(w.clock.now() + 24 * HOUR).toISOString(),
    });
    const arn = await w.start(request(who));
    expect(await lastMail(who.a)).toBeDefined();
    expect(
      (await mailTo(who.requester)).filter((m) => m.subject.startsWith("Approval requested")),
    ).toEqual([]);
    const requester = await dashboard(w, who.requester);
    const pending = await w.api.approvals.store.forApprover(who.a);
    const id = pending[0]?.approvalId;
    const tried = await requester.post(`/api/approvals/${id}/decision`, { decision: "approve" });
    expect(tried.status).toBe(403);
    expect((await w.status(arn)).status).toBe("RUNNING");
  });

  it("an operator reassigns a pending request; the new approver decides for the one replaced, who is told", async () => {
    const who = people();
    w = await world({ settings: { approvers: [who.a] } });
    const arn = await w.start(request(who));
    const oldLink = await linkFor(who.a);
    const ops = await dashboard(w, TEST_OPERATORS[0] as string);
    const open = (await ops.get("/api/approvals?status=OPEN")).body.items as {
      approvalId: string;
    }[];
    const id = (await w.api.approvals.store.forApprover(who.a))[0]?.approvalId as string;
    expect(open.map((o) => o.approvalId)).toContain(id);

    const toRequester = await ops.post(`/api/approvals/${id}/reassign`, {
      from: who.a,
      to: who.requester,
    });
    expect(toRequester.status).toBe(400);
    expect(JSON.stringify(toRequester.body)).toContain("to: is the requester");

    expect(
      (await ops.post(`/api/approvals/${id}/reassign`, { from: who.a, to: who.c })).status,
    ).toBe(200);
    expect((await lastMail(who.a, /^Reassigned/)).text).toContain(
      `reassigned this request from you to ${who.c}`,
    );
    expect((await fetch(oldLink)).status).toBe(403);
    expect((await decideByLink(w, await linkFor(who.c), "reject")).status).toBe(200);
    expect((await w.status(arn)).output).toMatchObject({
      compensated: true,
      reason: { decision: "reject", by: who.c, onBehalfOf: who.a },
    });
    const approver = await dashboard(w, who.c); // an approver, not an operator
    expect(
      (await approver.post(`/api/approvals/${id}/reassign`, { from: who.c, to: who.b })).status,
    ).toBe(403);
  });
});
