import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "../local/asl/types.ts";
import { FUNCTIONS } from "../stacks/topology.ts";
import {
  countLambdaRequests,
  countTransitions,
  deployedMemoryMB,
  lambdaDurationUsdPerMillionOrders,
  lambdaInvocations,
  usdPerMillionOrders,
} from "./cost.ts";

function event(id: number, type: string, extra: Record<string, unknown> = {}): HistoryEvent {
  return { id, previousEventId: id - 1, timestamp: 0, type, ...extra };
}

const invoke = (fn: string) => ({
  taskScheduledEventDetails: {
    resourceType: "lambda",
    resource: "invoke",
    parameters: JSON.stringify({ FunctionName: fn, Payload: {} }),
  },
});

describe("AWS cost of an execution", () => {
  it("counts states entered (Map iterations included) and Lambda tasks, retries included", () => {
    const arn = "arn:aws:lambda:us-east-1:000000000000:function:ChargePayment";
    const history = [
      event(1, "ExecutionStarted"),
      event(2, "TaskStateEntered"),
      event(3, "TaskScheduled", invoke(arn)),
      event(4, "TaskFailed"),
      event(5, "TaskScheduled", invoke(arn)),
      event(6, "TaskSucceeded"),
      event(7, "MapStateEntered"),
      event(8, "PassStateEntered"),
      event(9, "TaskScheduled", { taskScheduledEventDetails: { resourceType: "dynamodb" } }),
      event(10, "LambdaFunctionScheduled", {
        lambdaFunctionScheduledEventDetails: { resource: "arn:aws:lambda:r:1:function:Api:live" },
      }),
      event(11, "ExecutionSucceeded"),
    ];

    expect(countTransitions(history)).toBe(3);
    expect(countLambdaRequests(history)).toBe(3);
    expect(lambdaInvocations(history)).toEqual(["ChargePayment", "ChargePayment", "Api"]);
  });

  it("prices a million orders at $0.025 per 1,000 transitions and $0.20 per million requests", () => {
    expect(usdPerMillionOrders(6, 5)).toBeCloseTo(151, 6);
  });

  it("bills Lambda duration at the memory the stacks deploy each function with", () => {
    expect(deployedMemoryMB("ChargePayment")).toBe(FUNCTIONS.ChargePayment.memoryMB);
    // 100 ms at 512 MB = 0.05 GB-s; at 1,024 MB = 0.1 GB-s; $0.0000133334 per GB-s, per million.
    expect(
      lambdaDurationUsdPerMillionOrders(["A", "B"], (n) => (n === "A" ? 512 : 1024)),
    ).toBeCloseTo(0.15 * 0.0000133334 * 1_000_000, 6);
    expect(() => deployedMemoryMB("NoSuchFunction")).toThrow(/stacks\/topology.ts/);
  });
});
