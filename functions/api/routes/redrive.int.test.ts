/**
 * `POST /api/executions/:arn/redrive`: operators only, with the session's CSRF token, for the
 * order saga's executions only; a failed execution goes on to success once its cause is fixed,
 * one that cannot be redriven answers 409 with Step Functions' reason. Behind it: the real Step
 * Functions wire API of the local runtime, through an unchanged `@aws-sdk/client-sfn`.
 */
import { SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRuntime,
  type SfnRuntime,
  type SfnServer,
  serveSfnApi,
} from "../../../local/sfn/index.ts";
import {
  captureLog,
  people,
  signIn,
  testDeps,
  virtualClock,
} from "../../../test/approvals/harness.ts";
import { createApi } from "../app.ts";

const FN = "arn:aws:lambda:us-east-1:123456789012:function:";
let runtime: SfnRuntime;
let server: SfnServer;
let sfn: SFNClient;
let sagaArn: string;
let otherArn: string;
let fixed = false;

class PaymentDown extends Error {
  override name = "PaymentDown";
}

beforeAll(async () => {
  runtime = createRuntime({
    store: "memory",
    functions: {
      charge: async () => {
        if (!fixed) throw new PaymentDown("the provider is down");
        return { charged: true };
      },
    },
  });
  server = await serveSfnApi(runtime);
  sfn = new SFNClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const definition = JSON.stringify({
    StartAt: "Charge",
    States: { Charge: { Type: "Task", Resource: `${FN}charge`, End: true } },
  });
  sagaArn = runtime.createStateMachine({ name: "saga", definition }).stateMachineArn;
  otherArn = runtime.createStateMachine({ name: "other", definition }).stateMachineArn;
});

afterAll(async () => {
  sfn.destroy();
  await server.close();
  await runtime.close();
});

function arrange() {
  const who = people();
  const api = createApi(
    testDeps({
      clock: virtualClock().now,
      sfn,
      log: captureLog(),
      stateMachineArn: sagaArn,
      settings: { approvalTimeoutSeconds: 3600, approvers: [who.a], operators: [who.c] },
    }),
  );
  return { app: api.app, who };
}

async function failed(stateMachineArn: string): Promise<string> {
  fixed = false;
  const { executionArn } = await runtime.startExecution({ stateMachineArn });
  expect(await runtime.waitForExecution(executionArn)).toMatchObject({ status: "FAILED" });
  return executionArn;
}

const path = (arn: string) => `/api/executions/${encodeURIComponent(arn)}/redrive`;

describe("POST /api/executions/:arn/redrive", () => {
  it("redrives a failed saga execution to success for an operator", async () => {
    const { app, who } = arrange();
    const operator = await signIn(app, who.c);
    const arn = await failed(sagaArn);
    const before = await app.request(`/api/executions/${encodeURIComponent(arn)}`, {
      headers: operator.headers,
    });
    expect(((await before.json()) as { execution: object }).execution).toMatchObject({
      status: "FAILED",
      redriveStatus: "REDRIVABLE",
    });

    fixed = true;
    const res = await app.request(path(arn), { method: "POST", headers: operator.headers });

    expect(res.status).toBe(200);
    const body = (await res.json()) as { executionArn: string; redriveDate: string };
    expect(body.executionArn).toBe(arn);
    expect(new Date(body.redriveDate).toISOString()).toBe(body.redriveDate);
    expect(await runtime.waitForExecution(arn)).toMatchObject({
      status: "SUCCEEDED",
      redriveCount: 1,
    });
    const after = await app.request(`/api/executions/${encodeURIComponent(arn)}`, {
      headers: operator.headers,
    });
    expect(((await after.json()) as { execution: object }).execution).toMatchObject({
      status: "SUCCEEDED",
      redriveCount: 1,
      redriveStatus: "NOT_REDRIVABLE",
      redriveStatusReason: "Execution is SUCCEEDED and cannot be redriven",
    });
  });

  it("answers 409 with the reason when the execution cannot be redriven", async () => {
    const { app, who } = arrange();
    const operator = await signIn(app, who.c);
    fixed = true;
    const { executionArn } = await runtime.startExecution({ stateMachineArn: sagaArn });
    await runtime.waitForExecution(executionArn);

    const res = await app.request(path(executionArn), {
      method: "POST",
      headers: operator.headers,
    });

    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      title: "Execution cannot be redriven",
      detail: expect.stringContaining("Execution is SUCCEEDED and cannot be redriven"),
    });
  });

  it("refuses without the CSRF token, to approvers, and for another state machine", async () => {
    const { app, who } = arrange();
    const operator = await signIn(app, who.c);
    const approver = await signIn(app, who.a);
    const arn = await failed(sagaArn);
    const elsewhere = await failed(otherArn);
    const { "x-csrf-token": _csrf, ...noCsrf } = operator.headers;

    const [withoutCsrf, asApprover, other] = await Promise.all([
      app.request(path(arn), { method: "POST", headers: noCsrf }),
      app.request(path(arn), { method: "POST", headers: approver.headers }),
      app.request(path(elsewhere), { method: "POST", headers: operator.headers }),
    ]);

    expect(withoutCsrf.status).toBe(403);
    expect(asApprover.status).toBe(403);
    expect(other.status).toBe(404);
    // Nothing was redriven.
    for (const a of [arn, elsewhere]) {
      expect(runtime.describeExecution({ executionArn: a })).toMatchObject({
        status: "FAILED",
        redriveCount: 0,
      });
    }
  });
});
