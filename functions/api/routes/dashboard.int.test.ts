import { describe, expect, it } from "vitest";
import {
  approvalPayload,
  captureLog,
  hiddenFields,
  mailTo,
  people,
  recordingSfn,
  signIn,
  testDeps,
  virtualClock,
} from "../../../test/approvals/harness.ts";
import { MAGIC_LINKS_PER_WINDOW, SESSION_CACHE_MS } from "../../approvals/sessions.ts";
import { createApi } from "../app.ts";

function arrange() {
  const who = people();
  const clock = virtualClock();
  const sfn = recordingSfn();
  const api = createApi(
    testDeps({
      clock: clock.now,
      sfn: sfn.client,
      log: captureLog(),
      settings: { approvalTimeoutSeconds: 3600, approvers: [who.a, who.b] },
    }),
  );
  return { clock, sfn, api, app: api.app, who };
}

/** Asks for a sign-in link for `email` and returns the one that arrived in the outbox. */
async function emailedSignInLink(app: ReturnType<typeof arrange>["app"], email: string) {
  await app.request("/api/auth/magic-link", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  const mail = (await mailTo(email)).at(-1);
  return new URL(/(http\S+\/auth\/magic\?t=\S+)/.exec(mail?.text ?? "")?.[1] ?? "");
}

describe("sign-in by magic link", () => {
  it("GET confirms without signing in; POST signs in once with an HttpOnly SameSite cookie", async () => {
    const { app, who } = arrange();
    const url = await emailedSignInLink(app, who.a);

    const scanned = await app.request(`${url.pathname}${url.search}`);
    expect(scanned.status).toBe(200);
    expect(scanned.headers.get("set-cookie")).toBeNull();
    const fields = hiddenFields(await scanned.text());
    const body = new URLSearchParams(fields).toString();
    const formHeaders = {
      "content-type": "application/x-www-form-urlencoded",
      origin: "http://localhost",
    };

    const signedIn = await app.request("/auth/magic", {
      method: "POST",
      headers: formHeaders,
      body,
    });
    const reused = await app.request("/auth/magic", { method: "POST", headers: formHeaders, body });

    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/");
    const cookie = signedIn.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^cs_session=/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toContain("Secure");
    expect(reused.status).toBe(403);
  });

  it("sends at most five sign-in links per address in fifteen minutes, then answers 429", async () => {
    const { app, clock, who } = arrange();
    const ask = () =>
      app.request("/api/auth/magic-link", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: who.a }),
      });
    clock.set("2030-01-01T09:00:00.000Z");
    for (let i = 0; i < MAGIC_LINKS_PER_WINDOW; i++) expect((await ask()).status).toBe(202);
    const before = (await mailTo(who.a)).length;

    clock.advance(5 * 60 * 1000);
    const refused = await ask();

    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe(String(10 * 60));
    expect(((await refused.json()) as { detail: string }).detail).toMatch(
      /ask again in 10 minutes/,
    );
    expect(await mailTo(who.a)).toHaveLength(before);
    expect((await ask()).status).toBe(429);

    clock.advance(10 * 60 * 1000);
    expect((await ask()).status).toBe(202);
  });

  it("refuses a sign-in form posted from another site, leaving the link usable", async () => {
    const { app, who } = arrange();
    const t = (await emailedSignInLink(app, who.a)).searchParams.get("t");
    const form = (origin: string) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin },
      body: new URLSearchParams({ t: t ?? "" }).toString(),
    });

    const forged = await app.request("/auth/magic", form("https://evil.example"));
    const { origin: _, ...noOrigin } = form("").headers;
    const unnamed = await app.request("/auth/magic", { ...form(""), headers: noOrigin });
    const own = await app.request("/auth/magic", form("http://localhost"));

    expect(forged.status).toBe(403);
    expect(unnamed.status).toBe(403);
    expect(forged.headers.get("set-cookie")).toBeNull();
    expect(await forged.text()).toContain("sent from another site");
    expect(own.status).toBe(303);
    expect(own.headers.get("set-cookie")).toMatch(/^cs_session=/);
  });

  it("sets Secure on a non-local host", async () => {
    const { app, who } = arrange();
    const { setCookie } = await signIn(
      { request: (p, i) => app.request(`https://approvals.example.com${p}`, i) },
      who.a,
    );
    expect(setCookie).toContain("Secure");
    expect(setCookie).toContain("HttpOnly");
  });

  it("session, CSRF and sign-out", async () => {
    const { app, who } = arrange();
    const { cookie, csrf, headers } = await signIn(app, who.a);

    const session = await app.request("/api/session", { headers: { cookie } });
    expect(await session.json()).toEqual({ email: who.a, csrfToken: csrf, roles: ["approver"] });
    const anonymous = await app.request("/api/session");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");

    const noCsrf = await app.request("/api/auth/sign-out", { method: "POST", headers: { cookie } });
    expect(noCsrf.status).toBe(403);
    const out = await app.request("/api/auth/sign-out", { method: "POST", headers });
    expect(out.status).toBe(204);
    expect((await app.request("/api/session", { headers: { cookie } })).status).toBe(401);
  });

  it("another instance honours a signed-out session for at most the session cache's minute", async () => {
    const { clock, app, who } = arrange();
    const elsewhere = createApi(testDeps({ clock: clock.now, log: captureLog() })).app;
    const { cookie, headers } = await signIn(app, who.a);
    expect((await elsewhere.request("/api/session", { headers: { cookie } })).status).toBe(200);

    await app.request("/api/auth/sign-out", { method: "POST", headers });

    expect((await app.request("/api/session", { headers: { cookie } })).status).toBe(401);
    clock.advance(SESSION_CACHE_MS - 1_000);
    expect((await elsewhere.request("/api/session", { headers: { cookie } })).status).toBe(200);
    clock.advance(1_000);
    expect((await elsewhere.request("/api/session", { headers: { cookie } })).status).toBe(401);
  });

  it("ends a session after its seven days, cached or not", async () => {
    const { clock, app, who } = arrange();
    const { cookie } = await signIn(app, who.a);
    expect((await app.request("/api/session", { headers: { cookie } })).status).toBe(200);

    clock.advance(7 * 24 * 60 * 60 * 1000);

    expect((await app.request("/api/session", { headers: { cookie } })).status).toBe(401);
  });
});

describe("dashboard approvals", () => {
  it("lists only the signed-in approver's requests and decides with a comment", async () => {
    const { app, api, sfn, who } = arrange();
    const mine = await api.approvals.request(
      approvalPayload({ requester: who.requester, approvers: [who.a] }),
    );
    await api.approvals.request(approvalPayload({ requester: who.requester, approvers: [who.b] }));
    const { headers } = await signIn(app, who.a);

    const list = (await (await app.request("/api/approvals", { headers })).json()) as {
      items: { approvalId: string }[];
    };
    expect(list.items.map((i) => i.approvalId)).toEqual([mine.approvalId]);
    expect(JSON.stringify(list)).not.toContain("taskToken");

    const decided = await app.request(`/api/approvals/${mine.approvalId}/decision`, {
      method: "POST",
      headers,
      body: JSON.stringify({ decision: "approve", comment: "ok from the inbox" }),
    });
    expect(decided.status).toBe(200);
    expect(((await decided.json()) as { approval: { status: string } }).approval.status).toBe(
      "APPROVED",
    );
    expect(sfn.successes[0]?.output).toMatchObject({
      decision: "approve",
      by: who.a,
      comment: "ok from the inbox",
    });

    const again = await app.request(`/api/approvals/${mine.approvalId}/decision`, {
      method: "POST",
      headers,
      body: JSON.stringify({ decision: "reject" }),
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { detail: string }).detail).toMatch(
      new RegExp(`^Already approved by ${who.a} at `),
    );
    const pending = (await (await app.request("/api/approvals", { headers })).json()) as {
      items: unknown[];
    };
    const decidedList = (await (
      await app.request("/api/approvals?status=DECIDED", { headers })
    ).json()) as { items: unknown[] };
    expect(pending.items).toHaveLength(0);
    expect(decidedList.items).toHaveLength(1);
  });

  it("refuses someone who is not an approver (403) and an unknown id (404), without CSRF (403)", async () => {
    const { app, api, who } = arrange();
    const theirs = await api.approvals.request(
      approvalPayload({ requester: who.requester, approvers: [who.b] }),
    );
    const { headers, cookie } = await signIn(app, who.a);
    const body = JSON.stringify({ decision: "approve" });
    const post = (id: string, h: Record<string, string>) =>
      app.request(`/api/approvals/${id}/decision`, { method: "POST", headers: h, body });

    expect((await post(theirs.approvalId, headers)).status).toBe(403);
    expect((await post("nope", headers)).status).toBe(404);
    expect(
      (await post(theirs.approvalId, { cookie, "content-type": "application/json" })).status,
    ).toBe(403);
    expect((await api.approvals.get(theirs.approvalId)).status).toBe("PENDING");
  });

  it("shows an overdue request as EXPIRED and answers 410 to deciding it", async () => {
    const { app, api, clock, who } = arrange();
    const r = await api.approvals.request(
      approvalPayload({ requester: who.requester, approvers: [who.a] }),
    );
    const { headers } = await signIn(app, who.a);
    clock.advance(2 * 3600 * 1000);
    const all = (await (await app.request("/api/approvals?status=ALL", { headers })).json()) as {
      items: { status: string }[];
    };
    expect(all.items[0]?.status).toBe("EXPIRED");
    const res = await app.request(`/api/approvals/${r.approvalId}/decision`, {
      method: "POST",
      headers,
      body: JSON.stringify({ decision: "approve" }),
    });
    expect(res.status).toBe(410);
  });
});

describe("config and outbox", () => {
  it("reports local mode and serves the outbox only locally", async () => {
    const local = arrange();
    expect(await (await local.app.request("/api/config")).json()).toEqual({ local: true });
    const box = (await (await local.app.request("/api/outbox")).json()) as {
      items: { to: string[] }[];
    };
    expect(Array.isArray(box.items)).toBe(true);

    const remote = createApi(testDeps({ local: false })).app;
    expect(await (await remote.request("/api/config")).json()).toEqual({ local: false });
    const missing = await remote.request("/api/outbox");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
  });
});
