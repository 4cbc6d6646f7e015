/**
 * Service integrations: Lambda (optimized `lambda:invoke`, plain function ARNs, AWS's error shape),
 * nested executions (`states:startExecution`, `.sync`, `.sync:2`) and DynamoDB optimized
 * integrations against the run's DynamoDB Local.
 */
import { randomUUID } from "node:crypto";
import { DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, harness } from "./helpers.ts";

class PaymentDeclined extends Error {
  override name = "PaymentDeclined";
}

let h: Harness;
beforeEach(async () => {
  h = await harness({
    functions: {
      double: async (event) => ({ n: (event as { n: number }).n * 2 }),
      "arn:aws:lambda:us-east-1:123456789012:function:decline": async () => {
        throw new PaymentDeclined("card 4000 declined");
      },
    },
  });
});
afterEach(async () => {
  await h.close();
});

async function run(name: string, definition: object, input: object = {}) {
  const stateMachineArn = await h.machine(name, definition);
  const { executionArn } = await h.sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
  );
  await h.runtime.idle();
  return h.sfn.send(new DescribeExecutionCommand({ executionArn }));
}

const task = (Resource: string, extra: object = {}) => ({
  StartAt: "T",
  States: { T: { Type: "Task", Resource, ...extra, End: true } },
});

describe("Lambda", () => {
  it("lambda:invoke returns AWS's envelope with the handler's Payload", async () => {
    const out = await run(
      "invoke",
      task("arn:aws:states:::lambda:invoke", {
        Parameters: { FunctionName: "double", "Payload.$": "$" },
      }),
      { n: 21 },
    );

    expect(out.status).toBe("SUCCEEDED");
    expect(JSON.parse(out.output as string)).toMatchObject({
      ExecutedVersion: "$LATEST",
      Payload: { n: 42 },
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200 },
    });
  });

  it("a plain function ARN returns the handler's result", async () => {
    const out = await run("plain", task("arn:aws:lambda:us-east-1:123456789012:function:double"), {
      n: 4,
    });

    expect(JSON.parse(out.output as string)).toEqual({ n: 8 });
  });

  it("a thrown error reaches Catch with Error = its name and Cause = Lambda's JSON", async () => {
    const out = await run(
      "declined",
      {
        StartAt: "Charge",
        States: {
          Charge: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Parameters: { FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:decline" },
            Catch: [{ ErrorEquals: ["PaymentDeclined"], Next: "Declined" }],
            End: true,
          },
          Declined: { Type: "Pass", End: true },
        },
      },
      {},
    );

    const caught = JSON.parse(out.output as string) as { Error: string; Cause: string };
    expect(caught.Error).toBe("PaymentDeclined");
    expect(JSON.parse(caught.Cause)).toMatchObject({
      errorType: "PaymentDeclined",
      errorMessage: "card 4000 declined",
    });
  });
});

describe("nested executions", () => {
  it("starts a child and waits for it with .sync (string Output) and .sync:2 (JSON Output)", async () => {
    const child = await h.machine("child", {
      StartAt: "P",
      States: { P: { Type: "Pass", Parameters: { "got.$": "$.v" }, End: true } },
    });
    const parent = (resource: string) =>
      task(resource, { Parameters: { StateMachineArn: child, Input: { v: 7 } } });

    const sync = await run("parent-sync", parent("arn:aws:states:::states:startExecution.sync"));
    const sync2 = await run(
      "parent-sync2",
      parent("arn:aws:states:::states:startExecution.sync:2"),
    );
    const fire = await run("parent-rr", parent("arn:aws:states:::states:startExecution"));

    expect(JSON.parse(sync.output as string)).toMatchObject({
      Status: "SUCCEEDED",
      Output: '{"got":7}',
      StateMachineArn: child,
    });
    expect(JSON.parse(sync2.output as string)).toMatchObject({ Output: { got: 7 } });
    // As AWS records it: StartExecution's answer with the SDK's HTTP metadata.
    expect(JSON.parse(fire.output as string)).toEqual({
      ExecutionArn: expect.stringContaining(":execution:child:"),
      SdkHttpMetadata: expect.objectContaining({ HttpStatusCode: 200 }),
      SdkResponseMetadata: { RequestId: expect.any(String) },
      StartDate: expect.any(Number),
    });
  });

  it("a .sync task resumes when a child that was still waiting ends later", async () => {
    const child = await h.machine("slow-child", {
      StartAt: "Nap",
      States: { Nap: { Type: "Wait", Seconds: 60, Next: "P" }, P: { Type: "Pass", End: true } },
    });
    const running = await run(
      "parent-slow",
      task("arn:aws:states:::states:startExecution.sync:2", {
        Parameters: { StateMachineArn: child, Input: { v: 1 } },
      }),
    );

    await h.clock.advance(60_000);
    await h.runtime.idle();

    const done = await h.sfn.send(
      new DescribeExecutionCommand({ executionArn: running.executionArn }),
    );
    expect(running.status).toBe("RUNNING");
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string)).toMatchObject({ Output: { v: 1 } });
  });

  it("a failed child fails the .sync task with States.TaskFailed", async () => {
    const child = await h.machine("failing-child", {
      StartAt: "F",
      States: { F: { Type: "Fail", Error: "Boom", Cause: "child broke" } },
    });

    const out = await run(
      "parent-fail",
      task("arn:aws:states:::states:startExecution.sync:2", {
        Parameters: { StateMachineArn: child },
      }),
    );

    expect(out.status).toBe("FAILED");
    expect(out.error).toBe("States.TaskFailed");
    expect(JSON.parse(out.cause as string)).toMatchObject({ Status: "FAILED", Error: "Boom" });
  });
});

describe("DynamoDB", () => {
  it("puts, conditionally puts (DynamoDB.ConditionalCheckFailedException) and gets an item", async () => {
    const table = process.env.SST_RESOURCE_Table
      ? JSON.parse(process.env.SST_RESOURCE_Table).name
      : "";
    const pk = `sfn-test-${randomUUID()}`;
    const key = { pk: { S: pk }, sk: { S: "item" } };
    const out = await run("ddb", {
      StartAt: "Put",
      States: {
        Put: {
          Type: "Task",
          Resource: "arn:aws:states:::dynamodb:putItem",
          Parameters: { TableName: table, Item: { ...key, stock: { N: "5" } } },
          ResultPath: null,
          Next: "PutAgain",
        },
        PutAgain: {
          Type: "Task",
          Resource: "arn:aws:states:::dynamodb:putItem",
          Parameters: {
            TableName: table,
            Item: { ...key, stock: { N: "0" } },
            ConditionExpression: "attribute_not_exists(pk)",
          },
          Catch: [
            {
              ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"],
              ResultPath: "$.err",
              Next: "Get",
            },
          ],
          Next: "Get",
        },
        Get: {
          Type: "Task",
          Resource: "arn:aws:states:::dynamodb:getItem",
          Parameters: { TableName: table, Key: key },
          ResultSelector: { "stock.$": "$.Item.stock.N" },
          ResultPath: "$.got",
          End: true,
        },
      },
    });

    expect(out.status).toBe("SUCCEEDED");
    const result = JSON.parse(out.output as string);
    expect(result.err.Error).toBe("DynamoDB.ConditionalCheckFailedException");
    expect(result.got).toEqual({ stock: "5" });
  });
});
