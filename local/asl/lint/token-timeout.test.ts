import { describe, expect, it } from "vitest";
import { lintDefinition } from "./index.ts";

const token = (extra: Record<string, unknown>) => ({
  StartAt: "Wait for approval",
  States: {
    "Wait for approval": {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: "ask", Payload: { "token.$": "$$.Task.Token" } },
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }],
      End: true,
      ...extra,
    },
    Failed: { Type: "Fail" },
  },
});

const codes = (def: unknown) => lintDefinition(def).map((d) => d.code);

describe("TOKEN_TASK_WITHOUT_TIMEOUT", () => {
  it("names the state of a .waitForTaskToken task with no timeout, as an ERROR", () => {
    const [d] = lintDefinition(token({}));
    expect(d).toMatchObject({
      severity: "ERROR",
      code: "TOKEN_TASK_WITHOUT_TIMEOUT",
      location: "/States/Wait for approval",
    });
    expect(d?.message).toContain("'Wait for approval'");
  });

  it.each([
    ["TimeoutSeconds", 3600],
    ["TimeoutSecondsPath", "$.timeout"],
    ["HeartbeatSeconds", 600],
    ["HeartbeatSecondsPath", "$.heartbeat"],
    ["TimeoutSeconds", "{% $timeout %}"],
  ])("is satisfied by %s", (field, value) => {
    expect(codes(token({ [field]: value }))).toEqual([]);
  });

  it("applies to any service's callback, nested in a Map too", () => {
    const def = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "Send",
            States: {
              Send: {
                Type: "Task",
                Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                End: true,
              },
            },
          },
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "F" }],
          End: true,
        },
        F: { Type: "Fail" },
      },
    };
    expect(lintDefinition(def).map((d) => [d.code, d.location])).toEqual([
      ["TOKEN_TASK_WITHOUT_TIMEOUT", "/States/M/ItemProcessor/States/Send"],
    ]);
  });

  it("leaves request-response and .sync tasks alone", () => {
    const def = token({ Resource: "arn:aws:states:::states:startExecution.sync" });
    expect(codes(def)).toEqual([]);
  });
});
