/**
 * Map and Parallel behaviour from AWS's documentation that the recorded corpus lacks: tolerated
 * failures, MaxConcurrency with tasks in flight, failure of one iteration cancelling the others,
 * variables visible inside iterations but not leaking out.
 */
import { describe, expect, it } from "vitest";
import { runToCompletion, type TaskCommand } from "../../sfn/index.ts";
import { compile, type Json } from "../index.ts";

const LAMBDA = "arn:aws:states:::lambda:invoke";

const distributed = (extra: Record<string, unknown>) =>
  compile({
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Check",
          States: {
            Check: {
              Type: "Choice",
              Choices: [{ Variable: "$.ok", BooleanEquals: false, Next: "Bad" }],
              Default: "Good",
            },
            Bad: { Type: "Fail", Error: "ItemFailed" },
            Good: { Type: "Pass", End: true },
          },
        },
        ...extra,
        End: true,
      },
    },
  });

const items = (bad: number, total: number) =>
  Array.from({ length: total }, (_, i) => ({ i, ok: i >= bad }));

describe("Map tolerated failures", () => {
  it("succeeds while failures stay within ToleratedFailureCount", async () => {
    const m = distributed({ ToleratedFailureCount: 2 });
    const r = await runToCompletion(m, items(2, 5));
    expect(r.status).toBe("SUCCEEDED");
    expect(r.history.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "MapStateEntered",
      "MapStateStarted",
      "MapRunStarted",
      "MapRunSucceeded",
      "MapStateSucceeded",
      "MapStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("fails with States.ExceedToleratedFailureThreshold past the count", async () => {
    const r = await runToCompletion(distributed({ ToleratedFailureCount: 2 }), items(3, 5));
    expect(r).toMatchObject({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold" });
  });

  it("applies ToleratedFailurePercentage to the share of failed items", async () => {
    const m = distributed({ ToleratedFailurePercentage: 40 });
    expect((await runToCompletion(m, items(4, 10))).status).toBe("SUCCEEDED");
    expect((await runToCompletion(m, items(5, 10))).status).toBe("FAILED");
  });

  it("fails its Map Run on the first failed child when nothing is tolerated", async () => {
    // A Distributed Map's children are executions of their own: their error does not reach the
    // parent; the Map Run fails past its threshold, which defaults to 0 ("Setting failure
    // thresholds for Distributed Map states").
    const r = await runToCompletion(distributed({}), items(1, 3));
    expect(r).toMatchObject({
      status: "FAILED",
      error: "States.ExceedToleratedFailureThreshold",
      cause: "The specified tolerated failure threshold was exceeded",
    });
  });
});

describe("Map with tasks", () => {
  const m = compile({
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        MaxConcurrency: 2,
        ItemSelector: { "n.$": "$$.Map.Item.Value", "prefix.$": "$prefix" },
        ItemProcessor: {
          StartAt: "Work",
          States: {
            Work: { Type: "Task", Resource: LAMBDA, Assign: { prefix: "inner" }, End: true },
          },
        },
        ItemsPath: "$.items",
        ResultSelector: { "all.$": "$", "prefix.$": "$prefix" },
        End: true,
      },
    },
    QueryLanguage: "JSONPath",
  });
  const withPrefix = compile({
    StartAt: "Set",
    States: {
      Set: { Type: "Pass", Assign: { prefix: "outer" }, Next: "Run" },
      Run: (m.definition.States as Record<string, Json>).Each as Json,
    },
  });

  it("keeps at most MaxConcurrency iterations in flight and returns results in item order", async () => {
    const r = await runToCompletion(
      withPrefix,
      { items: [3, 1, 2, 5] },
      {
        invoke: (cmd: TaskCommand) => {
          const n = (cmd.input as { n: number }).n;
          return {
            output: { doubled: n * 2, prefix: (cmd.input as { prefix: string }).prefix },
            delaySeconds: n,
          };
        },
      },
    );
    expect(r.status).toBe("SUCCEEDED");
    expect(r).toMatchObject({
      output: {
        all: [3, 1, 2, 5].map((n) => ({ doubled: n * 2, prefix: "outer" })),
        prefix: "outer",
      },
    });
    const started = r.history
      .filter((e) => e.type === "TaskScheduled")
      .map((e) => e.timestamp - (r.history[0]?.timestamp ?? 0));
    // Two start at once; each later one starts when an earlier one finishes (item 1 at 1 s, item 0 at 3 s).
    expect(started).toEqual([0, 0, 1000, 3000]);
  });

  it("aborts the other iterations when one fails", async () => {
    const r = await runToCompletion(
      withPrefix,
      { items: [1, 2] },
      {
        invoke: (cmd: TaskCommand) =>
          (cmd.input as { n: number }).n === 1 ? { error: "Nope", delaySeconds: 1 } : null,
      },
    );
    expect(r).toMatchObject({ status: "FAILED", error: "Nope" });
    const types = r.history.map((e) => e.type);
    expect(types).toContain("MapIterationAborted");
    expect(types.slice(-3)).toEqual(["MapIterationAborted", "MapStateFailed", "ExecutionFailed"]);
  });
});

describe("Parallel", () => {
  it("fails when a branch fails, cancelling the branch still waiting", async () => {
    const m = compile({
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "Slow", States: { Slow: { Type: "Wait", Seconds: 3600, End: true } } },
            { StartAt: "Boom", States: { Boom: { Type: "Fail", Error: "Boom", Cause: "b" } } },
          ],
          End: true,
        },
      },
    });
    const r = await runToCompletion(m, {});
    expect(r).toMatchObject({ status: "FAILED", error: "Boom", cause: "b" });
    expect(r.endTime).toBe(Date.UTC(2024, 0, 1));
  });
});
