import type { DescribeExecutionOutput, HistoryEvent } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import {
  IncompleteAnswerError,
  redact,
  toExecutionDescription,
  toExecutionSummary,
  toHistoryEventView,
} from "./execution-views.ts";

const ARN = "arn:aws:states:us-east-1:000000000000:execution:OrderSaga:order-1";
const MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:OrderSaga";
const started = new Date("2026-12-01T10:00:00.000Z");

describe("execution views", () => {
  it("lists an execution with ISO dates and only the summary's members", () => {
    expect(
      toExecutionSummary({
        executionArn: ARN,
        stateMachineArn: MACHINE,
        name: "order-1",
        status: "SUCCEEDED",
        startDate: started,
        stopDate: new Date("2026-12-01T10:00:02.000Z"),
        redriveCount: 0,
      }),
    ).toEqual({
      executionArn: ARN,
      stateMachineArn: MACHINE,
      name: "order-1",
      status: "SUCCEEDED",
      startDate: "2026-12-01T10:00:00.000Z",
      stopDate: "2026-12-01T10:00:02.000Z",
    });
  });

  it("refuses an answer without a member Step Functions always sends", () => {
    const missing = { executionArn: ARN, stateMachineArn: MACHINE, status: "RUNNING" };
    expect(() => toExecutionSummary(missing as DescribeExecutionOutput)).toThrow(
      IncompleteAnswerError,
    );
  });

  it("describes an execution with its input parsed and task tokens redacted", () => {
    const view = toExecutionDescription({
      executionArn: ARN,
      stateMachineArn: MACHINE,
      status: "FAILED",
      startDate: started,
      input: JSON.stringify({ orderId: "order-1", taskToken: "secret-token" }),
      output: "not json",
      error: "Approval.Rejected",
      cause: "Rejected by manager",
    });
    expect(view).toEqual({
      executionArn: ARN,
      stateMachineArn: MACHINE,
      name: "order-1",
      status: "FAILED",
      startDate: "2026-12-01T10:00:00.000Z",
      input: { orderId: "order-1", taskToken: "[redacted]" },
      output: "not json",
      error: "Approval.Rejected",
      cause: "Rejected by manager",
    });
    expect(JSON.stringify(view)).not.toContain("secret-token");
  });

  it("keeps a history event's details, redacting tokens inside JSON strings", () => {
    const event: HistoryEvent = {
      id: 7,
      previousEventId: 6,
      type: "TaskScheduled",
      timestamp: started,
      taskScheduledEventDetails: {
        resource: "invoke.waitForTaskToken",
        resourceType: "lambda",
        region: "us-east-1",
        parameters: JSON.stringify({ Payload: { taskToken: "secret-token", orderId: "order-1" } }),
      },
    };
    const view = toHistoryEventView(event);
    expect(view).toMatchObject({ id: 7, previousEventId: 6, type: "TaskScheduled" });
    expect(view.timestamp).toBe("2026-12-01T10:00:00.000Z");
    expect(JSON.parse(view.taskScheduledEventDetails!.parameters!)).toEqual({
      Payload: { taskToken: "[redacted]", orderId: "order-1" },
    });
  });

  it("redacts tokens at any depth, drops the SDK's $metadata and leaves other values alone", () => {
    expect(
      redact({ $metadata: {}, a: [{ TaskToken: "x", b: 1 }], task_token: "y", c: "z" }),
    ).toEqual({
      a: [{ TaskToken: "[redacted]", b: 1 }],
      task_token: "[redacted]",
      c: "z",
    });
  });
});
