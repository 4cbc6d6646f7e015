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
