/**
 * The API's HTTP surface as an attacker meets it: a decision form posted from another site is
 * refused (as the sign-in form is), a malformed path is 400, and every response — errors
 * included — carries the security headers.
 */
import { describe, expect, it } from "vitest";
import {
  approvalPayload,
  captureLog,
  hiddenFields,
  linkIn,
  mailTo,
  people,
  recordingSfn,
  testDeps,
} from "../../test/approvals/harness.ts";
import { createApi } from "./app.ts";

/** What every response must carry (middleware/security.ts). */
const REQUIRED_HEADERS = [
  "content-security-policy",
  "x-frame-options",
  "x-content-type-options",
  "referrer-policy",
];

function arrange() {
  const sfn = recordingSfn();
  const who = people();
  const api = createApi(
    testDeps({ sfn: sfn.client, log: captureLog(), settings: { approvalTimeoutSeconds: 3600 } }),
  );
  return { api, app: api.app, sfn, who };
}

/** A pending approval and its confirm page's form fields (what a real click would post). */
async function pendingDecision(a: ReturnType<typeof arrange>) {
  const { approvalId } = await a.api.approvals.request(
    approvalPayload({ requester: a.who.requester, approvers: [a.who.a] }),
  );
  const mail = (await mailTo(a.who.a)).at(-1);
  if (!mail) throw new Error("no approval email");
  const url = new URL(linkIn(mail));
  const page = await a.app.request(`${url.pathname}${url.search}`);
  return { approvalId, path: url.pathname, fields: hiddenFields(await page.text()) };
}

const post = (fields: Record<string, string>, headers: Record<string, string>) => ({
  method: "POST",
  body: new URLSearchParams(fields).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
});

describe("the approval POST checks where the form came from", () => {
  it("refuses a decision posted from another site, or with no origin at all, and decides nothing", async () => {
    const a = arrange();
    const { approvalId, path, fields } = await pendingDecision(a);
    const form = { ...fields, decision: "approve" };

    const forged = await a.app.request(path, post(form, { origin: "https://evil.example" }));
    const crossSite = await a.app.request(path, post(form, { "sec-fetch-site": "cross-site" }));
    const bare = await a.app.request(path, post(form, {}));

    for (const res of [forged, crossSite, bare]) {
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("Form sent from another site");
    }
    expect((await a.api.approvals.get(approvalId)).status).toBe("PENDING");
    expect(a.sfn.successes).toHaveLength(0);

    const own = await a.app.request(path, post(form, { origin: "http://localhost" }));
    expect(own.status).toBe(200);
    expect((await a.api.approvals.get(approvalId)).status).toBe("APPROVED");
  });
});

describe("malformed paths", () => {
  it.each(["/%", "/api/%", "/approvals/%", "/approvals/%E0%A4%A", "/auth/%zz"])(
    "%s is 400",
    async (path) => {
      const res = await arrange().app.request(path);
      expect(res.status).toBe(400);
    },
  );
});

describe("security headers", () => {
  it("are on every response, errors included", async () => {
    const a = arrange();
    const { path, fields } = await pendingDecision(a);
    const responses = {
      page: await a.app.request(`/api/config`),
      malformed: await a.app.request("/approvals/%"),
      notFound: await a.app.request("/api/nope"),
      unknownApproval: await a.app.request("/approvals/unknown?sig=x"),
      forbidden: await a.app.request(path, post({ ...fields, decision: "approve" }, {})),
      badJson: await a.app.request("/api/auth/magic-link", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{",
      }),
      unauthenticated: await a.app.request("/api/orders"),
    };
    const statuses = Object.fromEntries(Object.entries(responses).map(([k, r]) => [k, r.status]));
    expect(statuses).toEqual({
      page: 200,
      malformed: 400,
      notFound: 404,
      unknownApproval: 404,
      forbidden: 403,
      badJson: 400,
      unauthenticated: 401,
    });
    for (const [name, res] of Object.entries(responses)) {
      for (const header of REQUIRED_HEADERS) {
        expect(res.headers.get(header), `${name}: ${header}`).toBeTruthy();
      }
    }
  });
});
