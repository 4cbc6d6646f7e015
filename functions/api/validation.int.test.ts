import { describe, expect, it } from "vitest";
import {
  approvalPayload,
  captureLog,
  form,
  people,
  recordingSfn,
  signIn,
  testDeps,
  virtualClock,
} from "../../test/approvals/harness.ts";
import { createApi } from "./app.ts";

async function arrange() {
  const who = people();
  const api = createApi(
    testDeps({
      // An approver who also operates, so every route's validation is reached.
      settings: { operators: [who.a] },
      clock: virtualClock().now,
      sfn: recordingSfn().client,
      log: captureLog(),
      stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:x",
    }),
  );
  const { approvalId } = await api.approvals.request(
    approvalPayload({ requester: who.requester, approvers: [who.a] }),
  );
  const session = await signIn(api.app, who.a);
  return { app: api.app, approvalId, headers: session.headers };
}

const long = "x".repeat(1001);

describe("bad input gets a 400 naming the field", () => {
  it("on every JSON route (problem+json with errors[].field)", async () => {
    const { app, approvalId, headers } = await arrange();
    const json = (body: unknown) => ({
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const cases: [string, RequestInit | undefined, string][] = [
      ["/api/auth/magic-link", json({}), "email"],
      ["/api/auth/magic-link", json({ email: 42 }), "email"],
      ["/api/auth/magic-link", json({ email: "not-an-email" }), "email"],
      ["/api/auth/magic-link", json("{not json"), "body"],
      ["/api/approvals?status=SOMETIMES", { headers }, "status"],
      [`/api/approvals/${approvalId}/decision`, json({}), "decision"],
      [`/api/approvals/${approvalId}/decision`, json({ decision: "maybe" }), "decision"],
      [
        `/api/approvals/${approvalId}/decision`,
        json({ decision: "approve", comment: 7 }),
        "comment",
      ],
      [
        `/api/approvals/${approvalId}/decision`,
        json({ decision: "approve", comment: long }),
        "comment",
      ],
      [`/api/approvals/${"i".repeat(65)}/decision`, json({ decision: "approve" }), "id"],
      ["/api/executions?status=SLEEPING", { headers }, "status"],
      [`/api/executions?q=${"q".repeat(201)}`, { headers }, "q"],
      ["/api/executions/not-an-arn", { headers }, "executionArn"],
      ["/api/executions/not-an-arn/history", { headers }, "executionArn"],
      ["/api/orders?limit=many", { headers }, "limit"],
    ];
    for (const [path, init, field] of cases) {
      const res = await app.request(path, init);
      const problem = (await res.json()) as { status: number; errors?: { field: string }[] };
      expect({ path, status: res.status, type: res.headers.get("content-type") }).toEqual({
        path,
        status: 400,
        type: "application/problem+json",
      });
      expect(
        problem.errors?.map((e) => e.field),
        path,
      ).toContain(field);
    }
  });

  it("on the pages people open (an HTML page naming the field), changing nothing", async () => {
    const { app, approvalId } = await arrange();
    const post = (fields: Record<string, string>) =>
      app.request(`/approvals/${approvalId}`, { method: "POST", ...form(fields) });
    const repeated = new URLSearchParams([
      ["decision", "approve"],
      ["decision", "reject"],
    ]).toString();
    const cases: [Response, string][] = [
      [await app.request(`/approvals/${approvalId}?sig=x&intent=perhaps`), "intent"],
      [await post({ sig: "x", csrf: "y" }), "decision"],
      [await post({ sig: "x", csrf: "y", decision: "approve", comment: long }), "comment"],
      [
        await app.request(`/approvals/${approvalId}`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "sec-fetch-site": "same-origin",
          },
          body: repeated,
        }),
        "decision",
      ],
      [await app.request("/auth/magic"), "t"],
      [await app.request("/auth/magic", { method: "POST", ...form({}) }), "t"],
    ];
    for (const [res, field] of cases) {
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(await res.text()).toContain(`${field}:`);
    }
  });

  it("the approval task refuses a malformed payload naming the field, failing its task", async () => {
    const sfn = recordingSfn();
    const api = createApi(testDeps({ sfn: sfn.client, log: captureLog() }));
    const payload = approvalPayload({ requester: "r@shop.test" });
    await expect(api.approvals.request({ ...payload, summary: "lots" })).rejects.toThrow(
      /summary:/,
    );
    expect(sfn.failures).toEqual([
      { taskToken: payload.taskToken, error: "Approval.InvalidRequest" },
    ]);
    await expect(
      api.approvals.request({ ...approvalPayload({ requester: "not-email" }) }),
    ).rejects.toThrow(/requester:/);
    // Without a task token there is no task to fail: the Lambda error fails it.
    await expect(api.approvals.request({ title: "x" })).rejects.toThrow(/taskToken:/);
  });
});

describe("security headers", () => {
  it("every answer carries CSP, a same-origin referrer policy, no framing and no-store", async () => {
    const { app, approvalId } = await arrange();
    for (const path of [`/approvals/${approvalId}?sig=bad`, "/api/config", "/nowhere"]) {
      const res = await app.request(path);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });
});
