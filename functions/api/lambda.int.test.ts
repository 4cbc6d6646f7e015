import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { approvalPayload, mailTo, people, SIGNING_KEY } from "../../test/approvals/harness.ts";

beforeAll(() => {
  Object.assign(process.env, {
    SST_RESOURCE_SigningKey: JSON.stringify({ value: SIGNING_KEY }),
    SST_RESOURCE_Api: JSON.stringify({ url: "https://approvals.example.com" }),
    SST_RESOURCE_Settings: JSON.stringify({
      approvalThreshold: 1000,
      approvalTimeoutSeconds: 3600,
      approvers: [],
    }),
    SST_RESOURCE_OrderSaga: JSON.stringify({
      arn: "arn:aws:states:us-east-1:123456789012:stateMachine:OrderSaga",
    }),
  });
});

function event(method: string, path: string, query = ""): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: query,
    headers: { host: "approvals.example.com" },
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "approvals.example.com",
      domainPrefix: "approvals",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
      requestId: "r",
      routeKey: "$default",
      stage: "$default",
      time: "",
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
}

describe("Lambda adapters (deps from linked resources)", () => {
  it("the API answers an HTTP API event", async () => {
    const { handler } = await import("./lambda.ts");
    const res = (await handler(event("GET", "/api/config") as never, {} as Context)) as {
      statusCode: number;
      body: string;
    };
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ local: false });
  });

  it("RequestApproval stores the request and mails links on the linked Api URL; a retry mails nothing new", async () => {
    const { handler } = await import("../request-approval.ts");
    const who = people();
    const payload = approvalPayload({ requester: who.requester, approvers: [who.a] });

    const first = (await handler(payload)) as { approvalId: string };
    const retry = (await handler(payload)) as { approvalId: string };

    expect(retry.approvalId).toBe(first.approvalId);
    const mails = await mailTo(who.a);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain(
      `https://approvals.example.com/approvals/${first.approvalId}?sig=`,
    );
    expect(mails[0]?.text).not.toContain(payload.taskToken);
  });

  it("SendReminders runs the sweep", async () => {
    const { handler } = await import("../send-reminders.ts");
    const report = await handler();
    expect(report).toEqual(
      expect.objectContaining({ reminded: expect.any(Array), expired: expect.any(Array) }),
    );
  });
});
