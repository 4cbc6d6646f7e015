import { describe, expect, it } from "vitest";
import { compile } from "../../../asl/index.ts";
import type { HistoryEvent, Json } from "../../../asl/types.ts";
import { runToCompletion } from "../../run-to-completion.ts";
import { decodeHistory, encodeHistory } from "./history-codec.ts";

/** Decoding gives the events back exactly (as JSON: the API sends them as JSON). */
function roundTrip(events: HistoryEvent[]): string {
  const record = encodeHistory(events);
  expect(JSON.stringify(decodeHistory(record))).toBe(JSON.stringify(events));
  return record;
}

describe("the history record format", () => {
  it("gives back what the engine wrote, payloads with any characters included", async () => {
    const odd = 'quotes " back\\slash \n newline \u0001 control é ✓ 😀 colon: 12:34 +5+ }{';
    const m = compile({
      QueryLanguage: "JSONata",
      StartAt: "Shape",
      States: {
        Shape: {
          Type: "Pass",
          Output: {
            text: "{% $states.input.text %}",
            n: "{% $states.input.n + 1 %}",
            list: "{% [1, 2, { 'k': $states.input.text }] %}",
          },
          Assign: { kept: "{% $states.input.text %}" },
          Next: "Each",
        },
        Each: {
          Type: "Map",
          Items: "{% $states.input.list %}",
          ItemProcessor: { StartAt: "Echo", States: { Echo: { Type: "Pass", End: true } } },
          Next: "Call",
        },
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Arguments: { FunctionName: "f", Payload: "{% $states.input %}" },
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Fail" }],
          End: true,
        },
        Fail: { Type: "Fail", Error: "Broken", Cause: "{% $states.input.Cause %}" },
      },
    });
    const r = await runToCompletion(m, { n: 1, text: odd } as Json, {
      invoke: () => ({ error: "Lambda.Unknown", cause: `${odd}\ud800` }),
    });

    expect(r.status).toBe("FAILED");
    roundTrip(r.history);
  });

  it("writes a state's output once when the next state's input is the same text or extends it", async () => {
    const states: Record<string, Json> = {};
    for (let i = 0; i < 10; i++) {
      states[`S${i}`] = {
        Type: "Pass",
        Result: `visited ${i}`,
        ResultPath: `$.s${i}`,
        ...(i < 9 ? { Next: `S${i + 1}` } : { End: true }),
      };
    }
    const r = await runToCompletion(compile({ StartAt: "S0", States: states }), { order: 1 });

    const record = roundTrip(r.history);
    expect(record.length * 3).toBeLessThan(JSON.stringify(r.history).length);
  });

  it("keeps unusual event shapes: no details, a previous id that is not the one before", () => {
    const events: HistoryEvent[] = [
      { id: 7, previousEventId: 5, timestamp: 1000, type: "ParallelStateSucceeded" },
      {
        id: 8,
        previousEventId: 7,
        timestamp: 1002.5,
        type: "MapIterationStarted",
        mapIterationStartedEventDetails: { name: "M", index: 0 },
      },
      { id: 9, previousEventId: 8, timestamp: 1003, type: "Odd", oddEventDetails: "just a string" },
      { id: 10, previousEventId: 2, timestamp: 1003, type: "Odd", oddEventDetails: null },
    ];

    roundTrip(events);
    expect(decodeHistory(encodeHistory([]))).toEqual([]);
  });

  it("reads records of the H2 format (data directories written before short events)", () => {
    // Written by the H2 encoder (commit 93207ae) for these events.
    const record =
      'H2[1,1765000000000,[-13,0,-78,{"#input":0,"roleArn":"arn:aws:iam::123456789012:role/r"}],[-45,3,-94,{"name":"Shape","#input":0}],[-46,4,-95,{"name":"Shape","#output":1}],[-14,9,-79,{"#output":1}]]\n44:{"orderId":"o-1","text":"quotes \\" and é ✓"}43+10:,"more":1}';
    const events = [
      {
        id: 1,
        previousEventId: 0,
        timestamp: 1765000000000,
        type: "ExecutionStarted",
        executionStartedEventDetails: {
          input: '{"orderId":"o-1","text":"quotes \\" and é ✓"}',
          roleArn: "arn:aws:iam::123456789012:role/r",
        },
      },
      {
        id: 2,
        previousEventId: 1,
        timestamp: 1765000000003,
        type: "PassStateEntered",
        stateEnteredEventDetails: {
          name: "Shape",
          input: '{"orderId":"o-1","text":"quotes \\" and é ✓"}',
        },
      },
      {
        id: 3,
        previousEventId: 2,
        timestamp: 1765000000004,
        type: "PassStateExited",
        stateExitedEventDetails: {
          name: "Shape",
          output: '{"orderId":"o-1","text":"quotes \\" and é ✓","more":1}',
        },
      },
      {
        id: 4,
        previousEventId: 3,
        timestamp: 1765000000009,
        type: "ExecutionSucceeded",
        executionSucceededEventDetails: {
          output: '{"orderId":"o-1","text":"quotes \\" and é ✓","more":1}',
        },
      },
    ];

    expect(JSON.stringify(decodeHistory(record))).toBe(JSON.stringify(events));
  });

  it("reads records of the earlier layout (a JSON array of events)", () => {
    const events: HistoryEvent[] = [
      {
        id: 1,
        previousEventId: 0,
        timestamp: 5,
        type: "ExecutionStarted",
        executionStartedEventDetails: { input: "{}" },
      },
    ];

    expect(decodeHistory(JSON.stringify(events))).toEqual(events);
  });
});
