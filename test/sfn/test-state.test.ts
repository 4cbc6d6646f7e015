/**
 * TestState over the wire API with `@aws-sdk/client-sfn`: our own saga's ChargePayment state with
 * mocked outcomes (a decline is caught and compensated by RefundPayment; a transient error is
 * retried), and unmocked Task states calling the runtime's real integrations — a registered Lambda
 * handler, DynamoDB Local, TimeoutSeconds on the virtual clock — with nothing written: no
 * execution, no state machine.
 */
import { randomUUID } from "node:crypto";
import {
  InvalidDefinition,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  TestStateCommand,
  type TestStateCommandInput,
  ValidationException,
} from "@aws-sdk/client-sfn";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { localDefinition } from "../../local/platform/functions.ts";
import { type Harness, harness } from "./helpers.ts";

const ROLE = "arn:aws:iam::123456789012:role/test";
const saga = localDefinition();

class PaymentDeclined extends Error {
  override name = "PaymentDeclined";
}

let h: Harness;
let release: (() => void) | undefined;
let started: Promise<void>;
beforeEach(async () => {
  let markStarted: () => void = () => {};
  started = new Promise<void>((r) => {
    markStarted = r;
  });
  h = await harness({
    functions: {
      double: async (event) => ({ n: (event as { n: number }).n * 2 }),
      decline: async () => {
        throw new PaymentDeclined("card 4000 0000 0000 0002 declined");
      },
      slow: {
        timeoutSeconds: 900,
        handler: () =>
          new Promise((resolve) => {
            release = () => resolve({ late: true });
            markStarted();
          }),
      },
    },
  });
});
afterEach(async () => {
  release?.();
  release = undefined;
  await h.close();
});

const testState = (input: TestStateCommandInput) => h.sfn.send(new TestStateCommand(input));
const json = (text: string | undefined) => JSON.parse(text as string);

describe("TestState on the order saga's ChargePayment", () => {
  const order = { orderId: "o-1001", total: 120, lines: [{ sku: "MUG", quantity: 2 }] };
  const charge = (
    mock: TestStateCommandInput["mock"],
    extra: Partial<TestStateCommandInput> = {},
  ) =>
    testState({
      definition: saga,
      stateName: "ChargePayment",
      input: JSON.stringify({ orderId: order.orderId }),
      variables: JSON.stringify({ order }),
      inspectionLevel: "DEBUG",
      mock,
      ...extra,
    });

  it("a declined payment is caught: CAUGHT_ERROR, nextState RefundPayment, the failure assigned", async () => {
    const out = await charge({
      errorOutput: { error: "PaymentDeclined", cause: "card 4000 0000 0000 0002 declined" },
    });

    expect(out.status).toBe("CAUGHT_ERROR");
    expect(out.nextState).toBe("RefundPayment");
    expect(out.error).toBe("PaymentDeclined");
    expect(out.cause).toBe("card 4000 0000 0000 0002 declined");
    // A JSONata catcher without Output passes $states.errorOutput on.
    expect(json(out.output)).toEqual({
      Error: "PaymentDeclined",
      Cause: "card 4000 0000 0000 0002 declined",
    });
    // Neither retrier lists PaymentDeclined: the decline is final, caught by Catch[0].
    expect(out.inspectionData?.errorDetails).toEqual({ catchIndex: 0 });
    expect(json(out.inspectionData?.afterArguments)).toMatchObject({
      Payload: { orderId: "o-1001" },
    });
    expect(json(out.inspectionData?.variables)).toMatchObject({
      order,
      failure: {
        step: "ChargePayment",
        error: "PaymentDeclined",
        cause: "card 4000 0000 0000 0002 declined",
      },
    });
  });

  it("a transient provider error is RETRIABLE until its retrier is spent, then caught", async () => {
    const error = { error: "PaymentProviderUnavailable", cause: "503 from the provider" };
    const first = await charge({ errorOutput: error });
    expect(first.status).toBe("RETRIABLE");
    expect(first.nextState).toBeUndefined();
    expect(first.output).toBeUndefined();
    const details = first.inspectionData?.errorDetails;
    expect(details?.retryIndex).toBe(0);
    // IntervalSeconds 2 with FULL jitter: the first wait is drawn from [0, 2] seconds.
    expect(details?.retryBackoffIntervalSeconds).toBeGreaterThanOrEqual(0);
    expect(details?.retryBackoffIntervalSeconds).toBeLessThanOrEqual(2);

    const spent = await charge(
      { errorOutput: error },
      {
        stateConfiguration: { retrierRetryCount: 3 },
      },
    );
    expect(spent.status).toBe("CAUGHT_ERROR");
    expect(spent.nextState).toBe("RefundPayment");
    expect(spent.inspectionData?.errorDetails).toEqual({ retryIndex: 0, catchIndex: 0 });
  });

  it("a successful charge goes on to ShipOrder with the Lambda payload as output", async () => {
    const out = await charge({
      result: JSON.stringify({ StatusCode: 200, Payload: { chargeId: "ch_1", amount: 120 } }),
      // Lambda's Invoke model has Payload as a blob (a string): a JSON payload needs NONE.
      fieldValidationMode: "NONE",
    });
    expect(out.status).toBe("SUCCEEDED");
    expect(out.nextState).toBe("ShipOrder");
    expect(json(out.output)).toEqual({ chargeId: "ch_1", amount: 120 });
  });

  it("STRICT checks the mock against Lambda's Invoke response shape", async () => {
    await expect(charge({ result: JSON.stringify({ StatusCode: "200" }) })).rejects.toMatchObject({
      name: "ValidationException",
      message: "Mock result schema validation error: Field 'StatusCode' must be a number",
    });
  });
});

describe("TestState without a mock calls the runtime's integrations", () => {
  it("lambda:invoke runs the registered handler and reports the data flow at TRACE", async () => {
    const out = await testState({
      definition: JSON.stringify({
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "double", "Payload.$": "$.args" },
        ResultSelector: { "doubled.$": "$.Payload.n" },
        ResultPath: "$.out",
        Next: "Done",
      }),
      roleArn: ROLE,
      input: JSON.stringify({ args: { n: 21 } }),
      inspectionLevel: "TRACE",
    });

    expect(out.status).toBe("SUCCEEDED");
    expect(out.nextState).toBe("Done");
    expect(json(out.output)).toEqual({ args: { n: 21 }, out: { doubled: 42 } });
    expect(json(out.inspectionData?.afterParameters)).toEqual({
      FunctionName: "double",
      Payload: { n: 21 },
    });
    expect(json(out.inspectionData?.result)).toMatchObject({ StatusCode: 200, Payload: { n: 42 } });
    expect(json(out.inspectionData?.afterResultSelector)).toEqual({ doubled: 42 });
  });

  it("a handler's error is the state's error: Catch applies, with ResultPath", async () => {
    const out = await testState({
      definition: JSON.stringify({
        Type: "Task",
        Resource: "arn:aws:lambda:us-east-1:123456789012:function:decline",
        Catch: [{ ErrorEquals: ["PaymentDeclined"], ResultPath: "$.failure", Next: "Refund" }],
        End: true,
      }),
      roleArn: ROLE,
      input: JSON.stringify({ orderId: "o-7" }),
    });

    expect(out.status).toBe("CAUGHT_ERROR");
    expect(out.nextState).toBe("Refund");
    expect(out.error).toBe("PaymentDeclined");
    const output = json(out.output);
    expect(output.orderId).toBe("o-7");
    expect(output.failure.Error).toBe("PaymentDeclined");
    expect(JSON.parse(output.failure.Cause)).toMatchObject({
      errorType: "PaymentDeclined",
      errorMessage: "card 4000 0000 0000 0002 declined",
    });
  });

  it("DynamoDB putItem and getItem reach DynamoDB Local", async () => {
    const table = JSON.parse(process.env.SST_RESOURCE_Table as string).name as string;
    const key = { pk: { S: `teststate-${randomUUID()}` }, sk: { S: "item" } };
    const put = await testState({
      definition: JSON.stringify({
        Type: "Task",
        Resource: "arn:aws:states:::dynamodb:putItem",
        Parameters: { TableName: table, Item: { ...key, stock: { N: "7" } } },
        End: true,
      }),
      roleArn: ROLE,
    });
    expect(put.status).toBe("SUCCEEDED");

    const got = await testState({
      definition: JSON.stringify({
        Type: "Task",
        Resource: "arn:aws:states:::dynamodb:getItem",
        Parameters: { TableName: table, Key: key },
        ResultSelector: { "stock.$": "$.Item.stock.N" },
        End: true,
      }),
      roleArn: ROLE,
    });
    expect(got.status).toBe("SUCCEEDED");
    expect(json(got.output)).toEqual({ stock: "7" });
  });

  it("TimeoutSeconds bounds the call on the runtime's clock: States.Timeout", async () => {
    const pending = testState({
      definition: JSON.stringify({
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "slow", Payload: {} },
        TimeoutSeconds: 10,
        Retry: [{ ErrorEquals: ["States.Timeout"], MaxAttempts: 2 }],
        End: true,
      }),
      roleArn: ROLE,
      inspectionLevel: "DEBUG",
    });
    await started;
    await h.clock.advance(10_000);
    const out = await pending;

    expect(out.status).toBe("RETRIABLE");
    expect(out.error).toBe("States.Timeout");
    expect(out.inspectionData?.errorDetails).toEqual({
      retryIndex: 0,
      retryBackoffIntervalSeconds: 1,
    });
  });

  it("writes no execution and no state machine", async () => {
    await testState({
      definition: JSON.stringify({ Type: "Pass", Result: { ok: true }, End: true }),
    });
    const machines = await h.sfn.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines).toEqual([]);
    const arn = "arn:aws:states:us-east-1:123456789012:stateMachine:none";
    await expect(
      h.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn })),
    ).rejects.toMatchObject({ name: "StateMachineDoesNotExist" });
  });

  it("says what to do with a resource the runtime cannot call, and with callback patterns", async () => {
    const sqs = testState({
      definition: JSON.stringify({
        Type: "Task",
        Resource: "arn:aws:states:::sqs:sendMessage",
        Parameters: { QueueUrl: "q", MessageBody: "m" },
        End: true,
      }),
      roleArn: ROLE,
    });
    await expect(sqs).rejects.toBeInstanceOf(ValidationException);
    await expect(sqs).rejects.toThrow(/cannot call 'arn:aws:states:::sqs:sendMessage'; add a mock/);

    const token = testState({
      definition: JSON.stringify({
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: { FunctionName: "double", "Payload.$": "$$.Task.Token" },
        End: true,
      }),
      roleArn: ROLE,
    });
    await expect(token).rejects.toBeInstanceOf(InvalidDefinition);
  });
});
