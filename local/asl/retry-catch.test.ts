/**
 * Retry and Catch per AWS's "Handling errors in Step Functions workflows": retry timing on the
 * virtual clock (IntervalSeconds, BackoffRate, MaxAttempts, MaxDelaySeconds, JitterStrategy),
 * retriers and catchers tried in order, Catch with ResultPath, and terminal errors.
 */
import { describe, expect, it } from "vitest";
import { runToCompletion, type TaskCommand } from "../sfn/index.ts";
import { retryDelayMs } from "./engine.ts";
import { compile } from "./index.ts";

const LAMBDA = "arn:aws:states:::lambda:invoke";
const T0 = Date.UTC(2024, 0, 1);

/** A task that fails with `error` on every call, recording the virtual times of the calls. */
function failing(error: string, times: number[]) {
  return (_cmd: TaskCommand, now: number) => {
    times.push((now - T0) / 1000);
    return { error, cause: "boom" };
  };
}

/** A Task state `Call` with the given fields, and the other states its Catch goes to. */
const machine = (task: Record<string, unknown>, others: Record<string, unknown> = {}) =>
  compile({
    StartAt: "Call",
    States: { Call: { Type: "Task", Resource: LAMBDA, End: true, ...task }, ...others },
  });

describe("Retry timing", () => {
  it("waits IntervalSeconds × BackoffRate^n between attempts, MaxAttempts times", async () => {
    const times: number[] = [];
    const m = machine({
      Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }],
    });
    const r = await runToCompletion(m, {}, { invoke: failing("Flaky", times) });
    expect(r).toMatchObject({ status: "FAILED", error: "Flaky", cause: "boom" });
    expect(times).toEqual([0, 2, 8, 26]);
  });

  it("uses the defaults: 1 s interval, backoff 2, 3 retries", async () => {
    const times: number[] = [];
    const r = await runToCompletion(
      machine({ Retry: [{ ErrorEquals: ["States.ALL"] }] }),
      {},
      { invoke: failing("X", times) },
    );
    expect(r.status).toBe("FAILED");
    expect(times).toEqual([0, 1, 3, 7]);
  });

  it("caps each delay at MaxDelaySeconds", async () => {
    const times: number[] = [];
    const m = machine({
      Retry: [
        {
          ErrorEquals: ["X"],
          IntervalSeconds: 10,
          BackoffRate: 10,
          MaxAttempts: 4,
          MaxDelaySeconds: 50,
        },
      ],
    });
    await runToCompletion(m, {}, { invoke: failing("X", times) });
    expect(times).toEqual([0, 10, 60, 110, 160]);
  });

  it("draws FULL jitter between 0 and the nominal delay, deterministically per seed", async () => {
    const m = machine({
      Retry: [
        {
          ErrorEquals: ["X"],
          IntervalSeconds: 10,
          BackoffRate: 2,
          MaxAttempts: 5,
          JitterStrategy: "FULL",
        },
      ],
    });
    const runTimes = async (seed: string) => {
      const times: number[] = [];
      await runToCompletion(m, {}, { invoke: failing("X", times), seed });
      return times;
    };
    const a = await runTimes("a");
    const delays = a.slice(1).map((t, i) => t - (a[i] as number));
    const nominal = [10, 20, 40, 80, 160];
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(nominal[i] as number);
    });
    expect(delays).not.toEqual(nominal);
    expect(await runTimes("a")).toEqual(a);
  });

  it("computes jitter from the nominal delay after the MaxDelaySeconds cap", () => {
    const r = {
      errorEquals: [],
      intervalSeconds: 4,
      backoffRate: 4,
      maxAttempts: 9,
      maxDelaySeconds: 30,
      jitter: "FULL" as const,
    };
    expect(retryDelayMs(r, 5, () => 0.5)).toBe(15_000);
    expect(retryDelayMs({ ...r, jitter: "NONE" }, 5, () => 0.5)).toBe(30_000);
  });
});

describe("error matching order", () => {
  it("uses the first retrier that matches, and stops retrying once it is exhausted", async () => {
    const times: number[] = [];
    const m = machine({
      Retry: [
        { ErrorEquals: ["Other"], MaxAttempts: 5 },
        { ErrorEquals: ["X"], MaxAttempts: 1, IntervalSeconds: 5 },
        { ErrorEquals: ["States.ALL"], MaxAttempts: 5 },
      ],
    });
    await runToCompletion(m, {}, { invoke: failing("X", times) });
    expect(times).toEqual([0, 5]);
  });

  it("takes the first matching catcher, with States.ALL as the last resort", async () => {
    const m = machine(
      {
        Catch: [
          { ErrorEquals: ["Specific"], Next: "A" },
          { ErrorEquals: ["States.TaskFailed"], Next: "B" },
          { ErrorEquals: ["States.ALL"], Next: "C" },
        ],
      },
      {
        A: { Type: "Pass", Result: "A", End: true },
        B: { Type: "Pass", Result: "B", End: true },
        C: { Type: "Pass", Result: "C", End: true },
      },
    );
    const run = async (error: string) =>
      (await runToCompletion(m, {}, { invoke: () => ({ error }) })) as { output: unknown };
    expect((await run("Specific")).output).toBe("A");
    expect((await run("Anything")).output).toBe("B");
    expect((await run("States.Timeout")).output).toBe("C");
  });

  it("lets a retry recover before the catchers are consulted", async () => {
    let calls = 0;
    const m = machine({
      Retry: [{ ErrorEquals: ["X"], MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Call" }],
    });
    const r = await runToCompletion(
      m,
      {},
      { invoke: () => (++calls < 3 ? { error: "X" } : { output: { ok: calls } }) },
    );
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { ok: 3 } });
  });
});

describe("terminal errors and States.ALL", () => {
  it("rejects a definition where States.ALL is not the last retrier", () => {
    expect(() =>
      machine({ Retry: [{ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["X"] }] }),
    ).toThrow(/States\.ALL/);
  });

  it("does not let States.ALL catch States.Runtime", async () => {
    const m = machine(
      { InputPath: "$.missing", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }] },
      { Caught: { Type: "Pass", End: true } },
    );
    const r = await runToCompletion(m, {}, { invoke: () => ({ output: 1 }) });
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(r.status === "FAILED" && r.cause).toContain("Invalid path '$.missing'");
  });
});

describe("Catch", () => {
  it("places {Error, Cause} at ResultPath, keeping the input", async () => {
    const m = machine(
      { Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "Handle" }] },
      { Handle: { Type: "Pass", End: true } },
    );
    const r = await runToCompletion(
      m,
      { order: 1 },
      { invoke: () => ({ error: "Declined", cause: "card" }) },
    );
    expect(r).toMatchObject({
      status: "SUCCEEDED",
      output: { order: 1, failure: { Error: "Declined", Cause: "card" } },
    });
    expect(r.history.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskFailed",
      "TaskStateExited",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("catches a task that runs past TimeoutSeconds as States.Timeout", async () => {
    const m = machine(
      { TimeoutSeconds: 30, Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Late" }] },
      { Late: { Type: "Pass", End: true } },
    );
    const r = await runToCompletion(
      m,
      {},
      { invoke: () => ({ output: "too late", delaySeconds: 45 }) },
    );
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { Error: "States.Timeout" } });
    expect(r.endTime - T0).toBe(30_000);
  });

  // A task's own oversized result fails the task, and AWS's recordings show States.ALL catching
  // it (task corpus: test_service_task_lambada_catch_state_all_data_limit_exceeded...).
  it("lets States.ALL catch a task's own States.DataLimitExceeded (an oversized result)", async () => {
    const m = machine(
      { Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handled" }] },
      { Handled: { Type: "Pass", End: true } },
    );
    const big = "x".repeat(257 * 1024);
    const r = await runToCompletion(m, {}, { invoke: () => ({ output: { big } }) });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { Error: "States.DataLimitExceeded" } });
  });

  it("fails with States.DataLimitExceeded when nothing catches the oversized result", async () => {
    const big = "x".repeat(257 * 1024);
    const r = await runToCompletion(machine({}), {}, { invoke: () => ({ output: { big } }) });
    expect(r).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
  });
});

describe("ResultPath", () => {
  it("fails with States.ResultPathMatchFailure when the input cannot hold the result", async () => {
    const m = compile({
      StartAt: "Put",
      States: { Put: { Type: "Pass", Result: 1, ResultPath: "$.x.y", End: true } },
    });
    const r = await runToCompletion(m, { x: "a string" });
    expect(r).toMatchObject({ status: "FAILED", error: "States.ResultPathMatchFailure" });
  });
});

describe("a catcher whose ResultPath does not fit the input", () => {
  const catchInto = {
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Done" }],
  };

  it("fails the Task with States.ResultPathMatchFailure, past its own catchers", async () => {
    const m = machine(catchInto, { Done: { Type: "Succeed" } });
    const r = await runToCompletion(m, [1, 2], { invoke: failing("Boom", []) });
    expect(r).toMatchObject({ status: "FAILED", error: "States.ResultPathMatchFailure" });
    expect(r.history.map((e) => e.type).slice(-2)).toEqual(["TaskFailed", "ExecutionFailed"]);
  });

  it("fails the Map once (it used to fail it again and again until the history was full)", async () => {
    const m = compile({
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemProcessor: { StartAt: "F", States: { F: { Type: "Fail", Error: "X" } } },
          ...catchInto,
          End: true,
        },
        Done: { Type: "Succeed" },
      },
    });
    const r = await runToCompletion(m, [1, 2]);
    expect(r).toMatchObject({ status: "FAILED", error: "States.ResultPathMatchFailure" });
    expect(r.history.filter((e) => e.type === "MapStateFailed")).toHaveLength(1);
  });
});
