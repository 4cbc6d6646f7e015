import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "../local/asl/types.ts";
import { countLambdaRequests, countTransitions, usdPerMillionOrders } from "./cost.ts";

function event(id: number, type: string, extra: Record<string, unknown> = {}): HistoryEvent {
  return { id, previousEventId: id - 1, timestamp: 0, type, ...extra };
}

describe("AWS cost of an execution", () => {
  it("counts states entered (Map iterations included) and Lambda tasks, retries included", () => {
    const lambda = { taskScheduledEventDetails: { resourceType: "lambda", resource: "invoke" } };
    const history = [
      event(1, "ExecutionStarted"),
      event(2, "TaskStateEntered"),
      event(3, "TaskScheduled", lambda),
      event(4, "TaskFailed"),
      event(5, "TaskScheduled", lambda),
      event(6, "TaskSucceeded"),
      event(7, "MapStateEntered"),
      event(8, "PassStateEntered"),
      event(9, "TaskScheduled", { taskScheduledEventDetails: { resourceType: "dynamodb" } }),
      event(10, "ExecutionSucceeded"),
    ];

    expect(countTransitions(history)).toBe(3);
    expect(countLambdaRequests(history)).toBe(2);
  });

  it("prices a million orders at $0.025 per 1,000 transitions and $0.20 per million requests", () => {
    expect(usdPerMillionOrders(6, 5)).toBeCloseTo(151, 6);
  });
});
