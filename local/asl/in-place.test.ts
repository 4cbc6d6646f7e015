/**
 * A Pass with a constant Result writes its field into the input in place when the previous state
 * built that input; these runs check that no one else ever sees such a write.
 */
import { describe, expect, it } from "vitest";
import { runToCompletion, type TaskCommand } from "../sfn/index.ts";
import { compile, type HistoryEvent, type Json } from "./index.ts";

const add = (key: string, next?: string): Json => ({
  Type: "Pass",
  Result: `r-${key}`,
  ResultPath: `$.${key}`,
  ...(next ? { Next: next } : { End: true }),
});

function stateTexts(history: HistoryEvent[]): string[] {
  return history.flatMap((h) => {
    const d = (h.stateEnteredEventDetails ?? h.stateExitedEventDetails) as
      | { input?: string; output?: string }
      | undefined;
    return d ? [d.input ?? d.output ?? ""] : [];
  });
}

describe("Pass chains writing ResultPath fields", () => {
  it("leave the execution input untouched and record each state's own input and output", async () => {
    const m = compile({
      StartAt: "A",
      States: { A: add("a", "B"), B: add("b", "C"), C: add("a") },
    });
    const input = { k: 1 };

    const r = await runToCompletion(m, input);

    expect(input).toEqual({ k: 1 });
    expect(r.status === "SUCCEEDED" && r.output).toEqual({ k: 1, a: "r-a", b: "r-b" });
    expect(stateTexts(r.history)).toEqual([
      '{"k":1}',
      '{"k":1,"a":"r-a"}',
      '{"k":1,"a":"r-a"}',
      '{"k":1,"a":"r-a","b":"r-b"}',
      '{"k":1,"a":"r-a","b":"r-b"}',
      '{"k":1,"a":"r-a","b":"r-b"}',
    ]);
  });

  it("do not change what a task was given, nor a variable holding an earlier state's output", async () => {
    const m = compile({
      StartAt: "A",
      States: {
        A: add("a", "T"),
        T: {
          Type: "Task",
          Resource: "arn:aws:lambda:us-east-1:1:function:f",
          ResultPath: null,
          Next: "B",
        },
        B: add("b", "C"),
        C: {
          Type: "Choice",
          Choices: [{ Variable: "$.b", IsPresent: true, Next: "D", Assign: { "kept.$": "$" } }],
        },
        D: add("d", "E"),
        E: { Type: "Pass", Parameters: { "kept.$": "$kept" }, End: true },
      },
    });
    const seen: Json[] = [];

    const r = await runToCompletion(
      m,
      { k: 1 },
      {
        invoke: (cmd: TaskCommand) => {
          seen.push(cmd.input);
          return { output: "ignored" };
        },
      },
    );

    expect(seen).toEqual([{ k: 1, a: "r-a" }]);
    expect(r.status === "SUCCEEDED" && r.output).toEqual({ kept: { k: 1, a: "r-a", b: "r-b" } });
  });

  it("give every Parallel branch the same unchanged input", async () => {
    const m = compile({
      StartAt: "A",
      States: {
        A: add("a", "P"),
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "X", States: { X: add("x") } },
            { StartAt: "Y", States: { Y: add("y") } },
          ],
          End: true,
        },
      },
    });

    const r = await runToCompletion(m, {});

    expect(r.status === "SUCCEEDED" && r.output).toEqual([
      { a: "r-a", x: "r-x" },
      { a: "r-a", y: "r-y" },
    ]);
  });
});
