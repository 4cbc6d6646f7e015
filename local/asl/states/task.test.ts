/**
 * Task, Wait and Fail details from AWS's documentation: Lambda function ARNs record LambdaFunction*
 * events, JSONata Arguments/Output/Assign around a task, Wait until a Timestamp, and the 256 KiB
 * limit on a state's output.
 */
import { describe, expect, it } from "vitest";
import { runToCompletion, type TaskCommand } from "../../sfn/index.ts";
import { compile } from "../index.ts";

const T0 = Date.UTC(2024, 0, 1);

describe("Task", () => {
  it("records LambdaFunction* events for a plain Lambda function ARN", async () => {
    const m = compile({
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "arn:aws:lambda:us-east-1:123456789012:function:charge",
          End: true,
        },
      },
    });
    const r = await runToCompletion(
      m,
      { amount: 5 },
      { invoke: (cmd) => ({ output: { charged: (cmd.input as { amount: number }).amount } }) },
    );
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { charged: 5 } });
    expect(r.history.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(r.history[2]?.lambdaFunctionScheduledEventDetails).toMatchObject({
      resource: "arn:aws:lambda:us-east-1:123456789012:function:charge",
      input: '{"amount":5}',
    });
  });

  it("records TaskScheduled with resourceType and parameters for an optimized integration", async () => {
    const m = compile({
      StartAt: "Put",
      States: {
        Put: {
          Type: "Task",
          Resource: "arn:aws:states:::dynamodb:putItem",
          Parameters: { TableName: "orders", "Item.$": "$.item" },
          ResultPath: null,
          End: true,
        },
      },
    });
    const seen: TaskCommand[] = [];
    const r = await runToCompletion(
      m,
      { item: { id: 1 } },
      {
        invoke: (cmd) => {
          seen.push(cmd);
          return { output: {} };
        },
      },
    );
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { item: { id: 1 } } });
    expect(seen[0]?.input).toEqual({ TableName: "orders", Item: { id: 1 } });
    expect(r.history.find((e) => e.type === "TaskScheduled")?.taskScheduledEventDetails).toEqual({
      resourceType: "dynamodb",
      resource: "putItem",
      region: "us-east-1",
      parameters: '{"TableName":"orders","Item":{"id":1}}',
    });
  });

  it("evaluates JSONata Arguments, Output and Assign around the result", async () => {
    const m = compile({
      QueryLanguage: "JSONata",
      StartAt: "Quote",
      States: {
        Quote: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Arguments: { sku: "{% $states.input.sku %}", qty: "{% $states.input.qty * 2 %}" },
          Assign: { price: "{% $states.result.price %}" },
          Output: { total: "{% $states.result.price * $states.input.qty %}" },
          Next: "Report",
        },
        Report: {
          Type: "Pass",
          Output: { total: "{% $states.input.total %}", unit: "{% $price %}" },
          End: true,
        },
      },
    });
    const r = await runToCompletion(
      m,
      { sku: "A", qty: 3 },
      {
        invoke: (cmd) => {
          expect(cmd.input).toEqual({ sku: "A", qty: 6 });
          return { output: { price: 4 } };
        },
      },
    );
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { total: 12, unit: 4 } });
  });

  it("fails with States.DataLimitExceeded when a state's output passes 256 KiB", async () => {
    const m = compile({
      StartAt: "Grow",
      States: { Grow: { Type: "Pass", Parameters: { "a.$": "$.s", "b.$": "$.s" }, End: true } },
    });
    const r = await runToCompletion(m, { s: "x".repeat(150 * 1024) });
    expect(r).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
  });
});

describe("Wait and Fail", () => {
  it("waits until TimestampPath, then fails with JSONPath ErrorPath/CausePath", async () => {
    const m = compile({
      StartAt: "Until",
      States: {
        Until: { Type: "Wait", TimestampPath: "$.at", Next: "Stop" },
        Stop: { Type: "Fail", ErrorPath: "$.code", CausePath: "States.Format('late by {}', $.by)" },
      },
    });
    const r = await runToCompletion(m, { at: "2024-01-02T00:00:00Z", code: "Late", by: "a day" });
    expect(r).toMatchObject({ status: "FAILED", error: "Late", cause: "late by a day" });
    expect(r.endTime - T0).toBe(86_400_000);
  });
});
