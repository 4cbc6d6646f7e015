import { describe, expect, it } from "vitest";
import {
  approvalPayload,
  captureLog,
  form,
  hiddenFields,
  linkIn,
  mailTo,
  people,
  recordingSfn,
  testDeps,
  virtualClock,
} from "../../test/approvals/harness.ts";
import { createApi } from "./app.ts";

function arrange(settings: Record<string, unknown> = {}) {
  const clock = virtualClock();
  const sfn = recordingSfn();
  const log = captureLog();
  const api = createApi(
    testDeps({
      clock: clock.now,
      sfn: sfn.client,
      log,
      settings: { approvalTimeoutSeconds: 3600, ...settings },
    }),
  );
  const who = people();
  const request = (init?: Partial<Parameters<typeof approvalPayload>[0]>) =>
    api.approvals.request(
      approvalPayload({ requester: who.requester, approvers: [who.a], ...init }),
    );
  return { clock, sfn, log, api, app: api.app, who, request };
}

/** Path + query of the link mailed to `to` (app.request takes a path). */
async function mailedLink(to: string): Promise<string> {
  const mails = await mailTo(to);
  const last = mails.at(-1);
  if (!last) throw new Error(`no mail to ${to}`);
  const url = new URL(linkIn(last));
  return `${url.pathname}${url.search}`;
}

async function openAndPost(
  app: ReturnType<typeof arrange>["app"],
  link: string,
  decision: string,
  extra: Record<string, string> = {},
) {
  const page = await app.request(link);
  const fields = hiddenFields(await page.text());
  return app.request(link.split("?")[0] as string, {
    method: "POST",
    ...form({ ...fields, decision, ...extra }),
  });
}

describe("approval links", () => {
  it("GET and HEAD show the summary and change nothing; POST approves once and resumes the task", async () => {
    const { app, api, sfn, who, request } = arrange();
    const { approvalId } = await request();
    const link = await mailedLink(who.a);

    for (let i = 0; i < 10; i++) {
      const get = await app.request(link);
      expect(get.status).toBe(200);
      expect(await get.text()).toContain("2,500.00 EUR");
      const head = await app.request(link, { method: "HEAD" });
      expect(head.status).toBe(200);
    }
    expect((await api.approvals.get(approvalId)).status).toBe("PENDING");
    expect(sfn.successes).toHaveLength(0);

    const res = await openAndPost(app, link, "approve", { comment: "looks fine" });

    expect(res.status).toBe(200);
    expect(await res.text()).toContain("You approved &quot;Order ");
    expect(sfn.successes).toHaveLength(1);
    expect(sfn.successes[0]?.output).toMatchObject({
      decision: "approve",
      by: who.a,
      comment: "looks fine",
    });
    expect((await api.approvals.get(approvalId)).status).toBe("APPROVED");
  });

  it("a reject decides and tells Step Functions to branch", async () => {
    const { app, sfn, who, request } = arrange();
    await request();
    const res = await openAndPost(app, await mailedLink(who.a), "reject");
    expect(res.status).toBe(200);
    expect(sfn.successes[0]?.output).toMatchObject({ decision: "reject", by: who.a });
  });

  it("a second click says who decided and when (409)", async () => {
    const { app, who, request } = arrange();
    await request();
    const link = await mailedLink(who.a);
    await openAndPost(app, link, "approve");
    const again = await app.request(link);
    expect(again.status).toBe(409);
    expect(await again.text()).toMatch(
      new RegExp(`Already approved by ${who.a} at <time datetime="2030-01-01T09:00:00`),
    );
  });

  it("tampered, foreign-approver, expired, unknown and CSRF-less requests get their own page and change nothing", async () => {
    const { app, api, sfn, who, request, clock } = arrange();
    const { approvalId } = await request();
    const link = await mailedLink(who.a);
    const fields = hiddenFields(await (await app.request(link)).text());
    const path = `/approvals/${approvalId}`;
    const forged = api.approvals.link(
      { approvalId, expiresAt: (await api.approvals.get(approvalId)).expiresAt },
      who.outsider,
    );

    const tampered = await app.request(`${link.slice(0, -3)}AAA`);
    const wrong = await app.request(new URL(forged).pathname + new URL(forged).search);
    const unknown = await app.request(`/approvals/doesnotexist123?sig=${fields.sig}`);
    const noCsrf = await app.request(path, {
      method: "POST",
      ...form({ sig: fields.sig, decision: "approve" }),
    });
    const badCsrf = await app.request(path, {
      method: "POST",
      ...form({ ...fields, csrf: "x", decision: "approve" }),
    });
    clock.advance(3600 * 1000);
    const expired = await app.request(link);
    const expiredPost = await app.request(path, {
      method: "POST",
      ...form({ ...fields, decision: "approve" }),
    });

    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain("This link is not valid");
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain("not an approver");
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("not found");
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.text()).toContain("form token");
    expect(badCsrf.status).toBe(403);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toMatch(
      /This request expired at <time datetime="2030-01-01T10:00:00.000Z">Jan 1, 2030, 10:00 AM UTC<\/time>/,
    );
    expect(expiredPost.status).toBe(410);
    expect(sfn.successes).toHaveLength(0);
    const rec = await api.approvals.get(approvalId);
    expect(rec.approvals).toEqual([]);
    expect(rec.status).toBe("PENDING");
  });

  it("100 concurrent POSTs: exactly one SendTaskSuccess, every other answer says who decided", async () => {
    const { app, sfn, who, request } = arrange();
    const { approvalId } = await request();
    const link = await mailedLink(who.a);
    const fields = hiddenFields(await (await app.request(link)).text());

    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        app.request(`/approvals/${approvalId}`, {
          method: "POST",
          ...form({ ...fields, decision: "approve" }),
        }),
      ),
    );

    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(sfn.successes).toHaveLength(1);
    const losers = await Promise.all(answers.filter((r) => r.status === 409).map((r) => r.text()));
    for (const text of losers) expect(text).toContain(`Already approved by ${who.a}`);
  });

  it("quorum 2 of 3 resumes only after the second approval; the requester is never an approver", async () => {
    const { app, sfn, who, request, api } = arrange();
    const { approvalId, approvers, required } = await request({
      approvers: [who.a, who.b, who.c, who.requester],
      required: 2,
    });
    expect(approvers).toEqual([who.a, who.b, who.c]);
    expect(required).toBe(2);

    const first = await openAndPost(app, await mailedLink(who.a), "approve");
    expect(first.status).toBe(200);
    expect(await first.text()).toContain(
      "Your approval is recorded; 1 more needed (1 of 2 approvals).",
    );
    expect(sfn.successes).toHaveLength(0);

    // The same approver again: their vote is counted, nothing is decided — not "already approved
    // by …" as if the request were settled.
    const twice = await app.request(await mailedLink(who.a));
    expect(twice.status).toBe(409);
    const said = await twice.text();
    expect(said).toContain("<h1>You already approved</h1>");
    expect(said).toContain("Your approval is recorded; 1 more needed (1 of 2 approvals).");
    expect(said).not.toMatch(/already approved by/i);

    const second = await openAndPost(app, await mailedLink(who.c), "approve");
    expect(second.status).toBe(200);
    expect(sfn.successes).toHaveLength(1);
    expect(sfn.successes[0]?.output).toMatchObject({ decision: "approve", by: who.c });

    const third = await app.request(await mailedLink(who.b));
    expect(third.status).toBe(409);
    const rec = await api.approvals.get(approvalId);
    expect(rec.approvals.map((v) => v.by)).toEqual([who.a, who.c]);
  });

  it("a decision Step Functions no longer waits for marks the record expired (410)", async () => {
    const { app, sfn, who, request, api } = arrange();
    const { approvalId } = await request();
    sfn.failNext("TaskTimedOut");
    const res = await openAndPost(app, await mailedLink(who.a), "approve");
    expect(res.status).toBe(410);
    expect((await api.approvals.get(approvalId)).status).toBe("EXPIRED");
  });
});

describe("quorum", () => {
  it("takes M of N from the request (the order saga's ValidateOrder sets 2 above the dual threshold)", async () => {
    const { who, api } = arrange({ approvers: ["m1@shop.test", "m2@shop.test", "m3@shop.test"] });
    const small = await api.approvals.request(approvalPayload({ requester: who.requester }));
    const large = await api.approvals.request(
      approvalPayload({ requester: who.requester, required: 2 }),
    );
    expect(small.required).toBe(1);
    expect(large.required).toBe(2);
    expect(large.approvers).toEqual(["m1@shop.test", "m2@shop.test", "m3@shop.test"]);
  });
});
