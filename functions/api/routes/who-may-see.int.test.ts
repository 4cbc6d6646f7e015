/**
 * Who may sign in and what they see: only addresses the deployment knows get a sign-in link
 * (and strangers get exactly the same answer), sign-in mail has a deployment-wide limit,
 * approvers see their own requests, operators see orders and executions, and no request body
 * may carry a card number.
 */
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
  signIn,
  testDeps,
  virtualClock,
} from "../../../test/approvals/harness.ts";
import { MAGIC_LINKS_GLOBAL_PER_WINDOW } from "../../approvals/sessions.ts";
import { createApi } from "../app.ts";

function arrange(extra: { approvers?: string[]; operators?: string[] } = {}) {
  const who = people();
  const clock = virtualClock();
  const log = captureLog();
  const sfn = recordingSfn();
  const api = createApi(
    testDeps({
      clock: clock.now,
      sfn: sfn.client,
      log,
      stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:x",
      settings: {
        approvalTimeoutSeconds: 3600,
        approvers: extra.approvers ?? [who.a],
        operators: extra.operators ?? [who.c],
      },
    }),
  );
  return { api, app: api.app, who, clock, log, sfn };
}

const ask = (app: ReturnType<typeof arrange>["app"], email: string) =>
  app.request("/api/auth/magic-link", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });

/** What a caller can observe of an answer: status, headers that vary by content, body. */
async function observable(res: Response) {
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    retryAfter: res.headers.get("retry-after"),
    body: await res.text(),
  };
}

describe("sign-in", () => {
  it("mails a known address and answers a stranger exactly the same, mailing nobody", async () => {
    const { app, who } = arrange();

    const known = await observable(await ask(app, who.a));
    const stranger = await observable(await ask(app, who.outsider));

    expect(known).toEqual({
      status: 202,
      type: "application/json",
      retryAfter: null,
      body: '{"sent":true}',
    });
    expect(stranger).toEqual(known);
    expect(await mailTo(who.a)).toHaveLength(1);
    expect(await mailTo(who.outsider)).toHaveLength(0);
  });

  it("limits strangers per address like known people, so a 429 tells nothing either", async () => {
    const { app, who, clock } = arrange();
    clock.set("2030-01-01T09:00:00.000Z");
    const answers = async (email: string) => {
      const out = [];
      for (let i = 0; i < 6; i++) out.push(await observable(await ask(app, email)));
      return out;
    };

    const [known, stranger] = [await answers(who.a), await answers(who.outsider)];

    expect(stranger).toEqual(known);
    expect(known.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it("lets in whoever a request was addressed to, though not in Settings", async () => {
    const { app, api, who } = arrange();
    await api.approvals.request(approvalPayload({ requester: who.requester, approvers: [who.b] }));

    const { headers } = await signIn(app, who.b);

    const inbox = (await (await app.request("/api/approvals", { headers })).json()) as {
      items: unknown[];
    };
    expect(inbox.items).toHaveLength(1);
  });

  it(`sends at most ${MAGIC_LINKS_GLOBAL_PER_WINDOW} sign-in emails a window in all, whatever strangers ask`, async () => {
    const many = Array.from({ length: MAGIC_LINKS_GLOBAL_PER_WINDOW + 1 }, (_, i) => `p${i}`);
    const tag = people().a.split("@")[0];
    const known = many.map((p) => `${p}-${tag}@shop.test`);
    const { app, clock, log } = arrange({ approvers: known });
    clock.set("2030-02-01T09:00:00.000Z");

    // Strangers first: their asks send nothing, so they use up nothing.
    for (let i = 0; i < 20; i++)
      expect((await ask(app, `x${i}-${tag}@evil.test`)).status).toBe(202);
    for (const email of known) expect((await ask(app, email)).status).toBe(202);

    const mailed = await Promise.all(known.map(async (e) => (await mailTo(e)).length));
    expect(mailed.filter((n) => n === 1)).toHaveLength(MAGIC_LINKS_GLOBAL_PER_WINDOW);
    expect(mailed.at(-1)).toBe(0);
    expect(log.lines.join("\n")).toContain("sign-in mail limit is reached");

    clock.advance(15 * 60 * 1000);
    expect((await ask(app, known.at(-1) as string)).status).toBe(202);
    expect(await mailTo(known.at(-1) as string)).toHaveLength(1);
  });
});

describe("what each role sees", () => {
  it("approvers see their own requests; orders and executions are for operators", async () => {
    const { app, api, who } = arrange();
    await api.approvals.request(approvalPayload({ requester: who.requester, approvers: [who.a] }));
    const approver = await signIn(app, who.a);
    const operator = await signIn(app, who.c);
    const get = (path: string, headers: Record<string, string>) => app.request(path, { headers });

    const inbox = (await (await get("/api/approvals", approver.headers)).json()) as {
      items: unknown[];
    };
    expect(inbox.items).toHaveLength(1);
    for (const path of ["/api/orders", "/api/executions", "/api/executions?status=SLEEPING"]) {
      const refused = await get(path, approver.headers);
      expect(refused.status, path).toBe(403);
      expect(((await refused.json()) as { title: string }).title).toBe("For operators only");
    }
    const session = async (h: Record<string, string>) =>
      ((await (await get("/api/session", h)).json()) as { roles: string[] }).roles;
    expect(await session(approver.headers)).toEqual(["approver"]);

    expect((await get("/api/orders", operator.headers)).status).toBe(200);
    // Past the role check, into the route's own validation.
    expect((await get("/api/executions?status=SLEEPING", operator.headers)).status).toBe(400);
    const empty = (await (await get("/api/approvals", operator.headers)).json()) as {
      items: unknown[];
    };
    expect(empty.items).toEqual([]);
    expect(await session(operator.headers)).toEqual(["operator"]);
  });
});

describe("card numbers", () => {
  it("refuses one in any JSON or form field, naming the field, and decides nothing", async () => {
    const { app, api, who, sfn } = arrange();
    const { approvalId } = await api.approvals.request(
      approvalPayload({ requester: who.requester, approvers: [who.a] }),
    );
    const { headers } = await signIn(app, who.a);
    const link = linkIn((await mailTo(who.a)).find((m) => m.text.includes("/approvals/"))!);
    const page = await app.request(link.replace("http://localhost", ""));
    const fields = hiddenFields(await page.text());

    const json = await app.request(`/api/approvals/${approvalId}/decision`, {
      method: "POST",
      headers,
      body: JSON.stringify({ decision: "approve", comment: "paid by 4242 4242 4242 4242" }),
    });
    const byLink = await app.request(`/approvals/${approvalId}`, {
      method: "POST",
      ...form({ ...fields, decision: "approve", comment: "card 4000-0000-0000-0002" }),
    });
    const signInAsk = await ask(app, "4242424242424242@shop.test");

    expect(json.status).toBe(400);
    const problem = (await json.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors).toEqual([
      {
        field: "comment",
        message: expect.stringMatching(/^looks like a card number; .*pm_card_visa/),
      },
    ]);
    expect(byLink.status).toBe(400);
    const html = await byLink.text();
    expect(html).toContain("comment: looks like a card number");
    expect(html).not.toMatch(/4000|0002/);
    expect(signInAsk.status).toBe(400);
    expect((await api.approvals.get(approvalId)).status).toBe("PENDING");
    expect(sfn.successes).toEqual([]);
  });
});
