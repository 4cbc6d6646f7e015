/**
 * Approvals end to end: the REAL local Step Functions runtime (wire API), DynamoDB Local,
 * the SES outbox and the approvals API over HTTP, on one virtual clock.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { form, hiddenFields, linkIn, mailTo, people, signIn, TEST_OPERATORS } from "./harness.ts";
import { type World, world } from "./runtime.ts";

let w: World;
let seen: string[];

/** fetch against the API that remembers every status line, header and body for the leak scan. */
async function http(path: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(path.startsWith("http") ? path : `${w.api.url}${path}`, {
    redirect: "manual",
    ...init,
  });
  const body = await res.text();
  seen.push(`${res.status} ${[...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n${body}`);
  return new Response(init?.method === "HEAD" || res.status === 204 ? null : body, {
    status: res.status,
    headers: res.headers,
  });
}
const client = { request: (p: string, i?: RequestInit) => http(p, i) };

/** An order-shaped request in the generic contract. */
function order(who: ReturnType<typeof people>, extra: object = {}) {
  const orderId = `o-${Math.random().toString(36).slice(2, 10)}`;
  return {
    orderId,
    title: `Order ${orderId} for 4,321.50 EUR`,
    summary: [
      { type: "text", label: "Customer", value: "Grace Hopper" },
      { type: "money", label: "Total", amount: 4321.5, currency: "EUR" },
      { type: "money", label: "3 × Compiler (SKU-COBOL)", amount: 4321.5, currency: "EUR" },
    ],
    requester: who.requester,
    approvers: [who.a],
    required: 1,
    context: { orderId },
    ...extra,
  };
}

async function linkFor(email: string): Promise<string> {
  const mail = (await mailTo(email)).filter((m) => !m.subject.startsWith("Sign in")).at(-1);
  if (!mail) throw new Error(`no approval mail to ${email}`);
  return linkIn(mail);
}

async function decideByLink(link: string, decision: "approve" | "reject", comment?: string) {
  const page = await http(link);
  const fields = hiddenFields(await page.text());
  return http(link.split("?")[0] as string, {
    method: "POST",
    ...form({ ...fields, decision, ...(comment ? { comment } : {}) }),
  });
}

beforeEach(async () => {
  seen = [];
  w = await world();
});
afterEach(async () => {
  await w.close();
});

describe("approval round trip on the local Step Functions runtime", () => {
  it("waits, emails, shows the summary, approves by link, resumes and succeeds — leaking no secret", async () => {
    const who = people();
    const arn = await w.start(order(who));
    expect((await w.status(arn)).status).toBe("RUNNING");

    const link = await linkFor(who.a);
    const page = await http(link);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("4,321.50 EUR");
    expect(html).toContain("Grace Hopper");
    expect(html).toContain('name="decision" value="approve"');

    const res = await decideByLink(link, "approve", "ship it");
    expect(res.status).toBe(200);
    const done = await w.status(arn);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.output).toMatchObject({
      charged: true,
      approval: { decision: "approve", by: who.a, comment: "ship it" },
    });

    // The dashboard views of this execution (an operator's), which carry the task's parameters
    // in its history, and the approver's own.
    const { headers } = await signIn(client, TEST_OPERATORS[0] as string);
    const approver = await signIn(client, who.a);
    const encoded = encodeURIComponent(arn);
    expect((await http(`/api/executions/${encoded}`, { headers })).status).toBe(200);
    const history = await http(`/api/executions/${encoded}/history`, { headers });
    expect(history.status).toBe(200);
    expect(await history.text()).toContain("[redacted]");
    const list = await http(
      `/api/executions?q=${encodeURIComponent(arn.split(":").at(-1) as string)}`,
      { headers },
    );
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect((await http("/api/approvals?status=ALL", approver)).status).toBe(200);

    const secrets = [...w.tokens, ...w.api.approvals.signer.secretsForLeakTests()];
    const mails = [...(await mailTo(who.a)), ...(await mailTo(who.requester))].map(
      (m) => `${m.subject}\n${m.text}\n${m.html}`,
    );
    const everything = [...seen, ...mails, ...w.log.lines];
    expect(w.tokens).toHaveLength(1);
    expect(seen.length).toBeGreaterThan(8);
    expect(w.log.lines.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      for (const text of everything)
        expect(text.includes(secret), `secret found in: ${text.slice(0, 200)}`).toBe(false);
    }
  });

  it("a reject resumes the saga into its compensation", async () => {
    const who = people();
    const arn = await w.start(order(who));
    const res = await decideByLink(await linkFor(who.a), "reject", "too expensive");
    expect(res.status).toBe(200);
    const done = await w.status(arn);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.output).toMatchObject({
      compensated: true,
      reason: { decision: "reject", by: who.a, comment: "too expensive" },
    });
  });

  it("the dashboard route decides the same way", async () => {
    const who = people();
    const arn = await w.start(order(who));
    const { headers } = await signIn(client, who.a);
    const inbox = (await (await http("/api/approvals", { headers })).json()) as {
      items: { approvalId: string; executionArn: string }[];
    };
    expect(inbox.items.map((i) => i.executionArn)).toEqual([arn]);

    const res = await http(`/api/approvals/${inbox.items[0]?.approvalId}/decision`, {
      method: "POST",
      headers,
      body: JSON.stringify({ decision: "approve", comment: "from the inbox" }),
    });
    expect(res.status).toBe(200);
    expect((await w.status(arn)).output).toMatchObject({
      charged: true,
      approval: { by: who.a, comment: "from the inbox" },
    });
  });

  it("scanner safety: ten GETs and ten HEADs leave the execution waiting", async () => {
    const who = people();
    const arn = await w.start(order(who));
    const link = await linkFor(who.a);
    for (let i = 0; i < 10; i++) {
      expect((await http(link)).status).toBe(200);
      expect((await http(link, { method: "HEAD" })).status).toBe(200);
    }
    expect((await w.status(arn)).status).toBe("RUNNING");
    expect(w.successCalls()).toBe(0);
  });

  it("tampered, foreign approver, unknown id, missing CSRF: own page and status, the execution keeps waiting", async () => {
    const who = people();
    const arn = await w.start(order(who));
    const link = await linkFor(who.a);
    const url = new URL(link);
    const approvalId = url.pathname.split("/").at(-1) as string;
    const fields = hiddenFields(await (await http(link)).text());
    const rec = await w.api.approvals.get(approvalId);

    const tampered = await http(`${link.slice(0, -4)}AAAA`);
    const foreign = await http(w.api.approvals.link(rec, who.outsider, w.api.url));
    const unknown = await http(`/approvals/Zz${approvalId.slice(2)}${url.search}`);
    const noCsrf = await http(url.pathname, {
      method: "POST",
      ...form({ sig: fields.sig, decision: "approve" }),
    });

    expect([tampered.status, foreign.status, unknown.status, noCsrf.status]).toEqual([
      403, 403, 404, 403,
    ]);
    const pages = await Promise.all([tampered, foreign, unknown, noCsrf].map((r) => r.text()));
    expect(pages[0]).toContain("This link is not valid");
    expect(pages[1]).toContain("You are not an approver of this request");
    expect(pages[2]).toContain("Approval request not found");
    expect(pages[3]).toContain("Missing or invalid form token");
    expect((await w.status(arn)).status).toBe("RUNNING");
    expect(w.successCalls()).toBe(0);
    expect((await w.api.approvals.get(approvalId)).approvals).toEqual([]);
  });

  it("100 concurrent POSTs: one SendTaskSuccess, the saga resumes once, the rest say who decided", async () => {
    const who = people();
    const arn = await w.start(order(who));
    const link = await linkFor(who.a);
    const fields = hiddenFields(await (await http(link)).text());
    const path = link.split("?")[0] as string;

    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        http(path, { method: "POST", ...form({ ...fields, decision: "approve" }) }),
      ),
    );

    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    const others = answers.filter((r) => r.status !== 200);
    expect(others.every((r) => r.status === 409)).toBe(true);
    for (const text of await Promise.all(others.map((r) => r.text())))
      expect(text).toContain(`Already approved by ${who.a} at`);
    expect(w.successCalls()).toBe(1);
    expect((await w.status(arn)).status).toBe("SUCCEEDED");
  });

  it("quorum 2 of 3: the saga resumes only after the second approval", async () => {
    const who = people();
    const arn = await w.start(order(who, { approvers: [who.a, who.b, who.c], required: 2 }));

    expect((await decideByLink(await linkFor(who.b), "approve")).status).toBe(200);
    expect((await w.status(arn)).status).toBe("RUNNING");
    expect((await decideByLink(await linkFor(who.a), "approve")).status).toBe(200);

    const done = await w.status(arn);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.output).toMatchObject({
      charged: true,
      approval: { decision: "approve", by: who.a },
    });
    expect((await http(await linkFor(who.c))).status).toBe(409);
  });

  it("reminder before expiry (once) and expiry email to the requester at the right virtual times", async () => {
    const who = people();
    const arn = await w.start(order(who));
    const link = await linkFor(who.a);
    const reminders = async () =>
      (await mailTo(who.a)).filter((m) => m.subject.startsWith("Reminder:")).length;
    const expiries = async () =>
      (await mailTo(who.requester)).filter((m) => m.subject.includes("expired")).length;

    await w.clock.advance(45 * 60 * 1000 - 1000); // 1 s before the reminder (an hour's request: at 45 min)
    await w.api.approvals.sweep();
    expect(await reminders()).toBe(0);
    await w.clock.advance(1000);
    await w.api.approvals.sweep();
    await w.api.approvals.sweep();
    expect(await reminders()).toBe(1);
    expect(await expiries()).toBe(0);

    await w.clock.advance(15 * 60 * 1000); // the request's hour is over; the saga's TimeoutSeconds fires
    const timedOut = await w.status(arn);
    expect(timedOut.status).toBe("SUCCEEDED");
    expect(timedOut.output).toMatchObject({
      compensated: true,
      reason: { error: "States.Timeout" },
    });
    await w.api.approvals.sweep();
    await w.api.approvals.sweep();
    expect(await expiries()).toBe(1);
    const late = await http(link);
    expect(late.status).toBe(410);
    expect(await late.text()).toContain(
      'This request expired at <time datetime="2030-01-01T10:00:00.000Z">',
    );
  });
});
