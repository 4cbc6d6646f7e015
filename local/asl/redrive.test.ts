/**
 * Redrive semantics (AWS's "Restarting state machine executions with redrive"): the execution
 * goes on from the states where it stopped; what succeeded is not run again, inside a Map or
 * Parallel only the iterations and branches that failed, were aborted or never started run
 * again, each from the state it stopped in. Driven by the runtime users run (memory store,
 * virtual clock), with handlers that fail until they are "fixed".
 */
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, type Handler, type SfnRuntime, VirtualClock } from "../sfn/index.ts";

/** A history event as GetExecutionHistory gives it. */
type Event = { id: number; type: string; [details: string]: unknown };

const FN = "arn:aws:lambda:us-east-1:123456789012:function:";
const T0 = Date.UTC(2025, 0, 1);

class Broken extends Error {
  override name = "Broken";
}

let runtime: SfnRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

/** A runtime whose `work` handler fails for the inputs `broken` holds, and counts its calls. */
function setup(definition: object, opts: { broken: (event: unknown) => boolean }) {
  const clock = new VirtualClock(T0);
  const calls: string[] = [];
  let fixed = false;
  const work: Handler = async (event) => {
    calls.push(JSON.stringify(event));
    if (!fixed && opts.broken(event)) throw new Broken(`cannot do ${JSON.stringify(event)}`);
    return { done: event };
  };
  const rt = createRuntime({ store: "memory", clock, functions: { work } });
  runtime = rt;
  const { stateMachineArn } = rt.createStateMachine({
    name: "m",
    definition: JSON.stringify(definition),
  });
  return {
    rt,
    clock,
    calls,
    fix: () => {
      fixed = true;
    },
    /** Starts an execution and lets it run as far as it can without time passing. */
    async start(input: unknown) {
      const { executionArn } = await rt.startExecution({
        stateMachineArn,
        input: JSON.stringify(input),
      });
      await rt.idle();
      return executionArn;
    },
    /** Starts an execution that ends without time passing, and waits for its end. */
    async run(input: unknown) {
      const executionArn = await this.start(input);
      return { executionArn, first: await rt.waitForExecution(executionArn) };
    },
    // (The runtime's event type loses the named members to its index signature.)
    history: (executionArn: string) =>
      rt.getExecutionHistory({ executionArn, maxResults: 1000 }).events as unknown as Event[],
  };
}

/** The events after the (last) ExecutionRedriven. */
function afterRedrive(events: Event[]): Event[] {
  const at = events.map((e) => e.type).lastIndexOf("ExecutionRedriven");
  return events.slice(at + 1);
}

const task = (extra: object = {}) => ({ Type: "Task", Resource: `${FN}work`, ...extra });

describe("redrive", () => {
  it("reruns the failed Task (not the states before it) with the same ARN and history", async () => {
    const t = setup(
      {
        StartAt: "Prepare",
        States: {
          Prepare: { Type: "Pass", Result: { n: 1 }, Next: "Charge" },
          Charge: task({
            Parameters: { "n.$": "$.n", "count.$": "$$.Execution.RedriveCount" },
            End: true,
          }),
        },
      },
      { broken: () => true },
    );
    const { executionArn, first } = await t.run({});
    expect(first).toMatchObject({ status: "FAILED", error: "Broken", redriveStatus: "REDRIVABLE" });

    t.fix();
    const { redriveDate } = await t.rt.redriveExecution({ executionArn });
    const done = await t.rt.waitForExecution(executionArn);

    expect(done).toMatchObject({ executionArn, status: "SUCCEEDED", redriveCount: 1 });
    expect(done.redriveDate).toEqual(redriveDate);
    expect(JSON.parse(done.output as string)).toEqual({ done: { n: 1, count: 1 } });
    const events = t.history(executionArn);
    const types = events.map((e) => e.type);
    expect(types.filter((x) => x === "PassStateEntered")).toHaveLength(1);
    expect(types.slice(types.indexOf("ExecutionFailed"))).toEqual([
      "ExecutionFailed",
      "ExecutionRedriven",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events.find((e) => e.type === "ExecutionRedriven")).toMatchObject({
      executionRedrivenEventDetails: { redriveCount: 1 },
    });
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  });

  it("reruns only the Map iterations that did not succeed, each from where it stopped", async () => {
    const t = setup(
      {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            MaxConcurrency: 2,
            ItemProcessor: {
              StartAt: "Prepare",
              States: {
                Prepare: { Type: "Pass", Next: "Work" },
                Work: task({ End: true }),
              },
            },
            End: true,
          },
        },
      },
      { broken: (event) => event === 3 },
    );
    const { executionArn, first } = await t.run([0, 1, 2, 3, 4, 5]);
    expect(first).toMatchObject({ status: "FAILED", error: "Broken" });
    const before = t.history(executionArn);
    const succeeded = before
      .filter((e) => e.type === "MapIterationSucceeded")
      .map((e) => (e.mapIterationSucceededEventDetails as { index: number }).index);
    const started = new Set(
      before
        .filter((e) => e.type === "MapIterationStarted")
        .map((e) => (e.mapIterationStartedEventDetails as { index: number }).index),
    );
    expect(succeeded).toContain(0);
    expect(started.has(5)).toBe(false); // never started: MaxConcurrency 2

    t.fix();
    await t.rt.redriveExecution({ executionArn });
    const done = await t.rt.waitForExecution(executionArn);

    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string)).toEqual([0, 1, 2, 3, 4, 5].map((i) => ({ done: i })));
    // Each succeeded item was worked on exactly once; item 3 twice.
    for (const i of succeeded) expect(t.calls.filter((c) => c === String(i))).toHaveLength(1);
    expect(t.calls.filter((c) => c === "3")).toHaveLength(2);
    const again = afterRedrive(t.history(executionArn));
    const rerun = again
      .filter((e) => e.type === "MapIterationStarted")
      .map((e) => (e.mapIterationStartedEventDetails as { index: number }).index);
    expect(rerun.sort()).toEqual([0, 1, 2, 3, 4, 5].filter((i) => !succeeded.includes(i)));
    expect(again.slice(0, 2).map((e) => e.type)).toEqual(["MapStateEntered", "MapStateStarted"]);
    // Items that had started (3 failed in Work; others were aborted in Work) go on from Work:
    // only the never-started ones enter Prepare.
    const prepares = again.filter((e) => e.type === "PassStateEntered");
    expect(prepares.length).toBe(rerun.filter((i) => !started.has(i)).length);
    expect(prepares.length).toBeGreaterThan(0);
  });

  it("reruns only the failed Parallel branch, from its failed state", async () => {
    const t = setup(
      {
        StartAt: "Both",
        States: {
          Both: {
            Type: "Parallel",
            Branches: [
              { StartAt: "A", States: { A: task({ Parameters: { branch: "a" }, End: true }) } },
              {
                StartAt: "Pause",
                States: {
                  Pause: { Type: "Wait", Seconds: 10, Next: "B" },
                  B: task({ Parameters: { branch: "b" }, End: true }),
                },
              },
            ],
            End: true,
          },
        },
      },
      { broken: (event) => (event as { branch: string }).branch === "b" },
    );
    const executionArn = await t.start({});
    await t.clock.advance(10_000);
    expect(await t.rt.waitForExecution(executionArn)).toMatchObject({ status: "FAILED" });

    t.fix();
    await t.rt.redriveExecution({ executionArn });
    const done = await t.rt.waitForExecution(executionArn);

    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string)).toEqual([
      { done: { branch: "a" } },
      { done: { branch: "b" } },
    ]);
    expect(t.calls).toEqual(['{"branch":"a"}', '{"branch":"b"}', '{"branch":"b"}']);
    const again = afterRedrive(t.history(executionArn)).map((e) => e.type);
    expect(again).not.toContain("WaitStateEntered");
    expect(again.slice(0, 3)).toEqual([
      "ParallelStateEntered",
      "ParallelStateStarted",
      "TaskStateEntered",
    ]);
  });

  it("reruns a nested Map inside a Parallel branch item by item", async () => {
    const t = setup(
      {
        StartAt: "Both",
        States: {
          Both: {
            Type: "Parallel",
            Branches: [
              {
                StartAt: "Each",
                States: {
                  Each: {
                    Type: "Map",
                    ItemProcessor: { StartAt: "W", States: { W: task({ End: true }) } },
                    End: true,
                  },
                },
              },
            ],
            End: true,
          },
        },
      },
      { broken: (event) => event === "y" },
    );
    const { executionArn } = await t.run(["x", "y"]);
    t.fix();
    await t.rt.redriveExecution({ executionArn });
    const done = await t.rt.waitForExecution(executionArn);

    expect(JSON.parse(done.output as string)).toEqual([[{ done: "x" }, { done: "y" }]]);
    expect(t.calls.filter((c) => c === '"x"')).toHaveLength(1);
    expect(t.calls.filter((c) => c === '"y"')).toHaveLength(2);
  });

  it("runs a Map again whole when it failed with States.DataLimitExceeded", async () => {
    const big = "x".repeat(100 * 1024);
    const clock = new VirtualClock(T0);
    let size = big;
    const calls: unknown[] = [];
    runtime = createRuntime({
      store: "memory",
      clock,
      functions: {
        work: async (event) => {
          calls.push(event);
          return size;
        },
      },
    });
    const { stateMachineArn } = runtime.createStateMachine({
      name: "m",
      definition: JSON.stringify({
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemProcessor: { StartAt: "W", States: { W: task({ End: true }) } },
            End: true,
          },
        },
      }),
    });
    const { executionArn } = await runtime.startExecution({ stateMachineArn, input: "[1,2,3]" });
    expect(await runtime.waitForExecution(executionArn)).toMatchObject({
      error: "States.DataLimitExceeded",
    });
    size = "small";
    await runtime.redriveExecution({ executionArn });

    expect(await runtime.waitForExecution(executionArn)).toMatchObject({ status: "SUCCEEDED" });
    expect(calls).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it("enters a Wait again after an abort, and restarts the execution's TimeoutSeconds", async () => {
    const t = setup(
      {
        TimeoutSeconds: 100,
        StartAt: "Hold",
        States: {
          Hold: { Type: "Wait", Seconds: 60, Next: "Go" },
          Go: { Type: "Pass", End: true },
        },
      },
      { broken: () => false },
    );
    const executionArn = await t.start({});
    await t.clock.advance(30_000);
    await t.rt.stopExecution({ executionArn, error: "Stopped" });
    expect(t.rt.describeExecution({ executionArn })).toMatchObject({
      status: "ABORTED",
      redriveStatus: "REDRIVABLE",
    });

    await t.clock.advance(3_600_000);
    await t.rt.redriveExecution({ executionArn });
    await t.clock.advance(59_000);
    expect(t.rt.describeExecution({ executionArn }).status).toBe("RUNNING");
    await t.clock.advance(1_000);

    expect(t.rt.describeExecution({ executionArn }).status).toBe("SUCCEEDED");
    expect(afterRedrive(t.history(executionArn)).map((e) => e.type)).toEqual([
      "WaitStateEntered",
      "WaitStateExited",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("redrives a TIMED_OUT execution, and times it out again after TimeoutSeconds", async () => {
    const t = setup(
      {
        TimeoutSeconds: 5,
        StartAt: "Hold",
        States: { Hold: { Type: "Wait", Seconds: 60, End: true } },
      },
      { broken: () => false },
    );
    const executionArn = await t.start({});
    await t.clock.advance(5_000);
    expect(t.rt.describeExecution({ executionArn }).status).toBe("TIMED_OUT");

    await t.rt.redriveExecution({ executionArn });
    await t.clock.advance(5_000);

    expect(t.rt.describeExecution({ executionArn })).toMatchObject({
      status: "TIMED_OUT",
      redriveCount: 1,
    });
    expect(t.history(executionArn).map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "WaitStateEntered",
      "ExecutionTimedOut",
      "ExecutionRedriven",
      "WaitStateEntered",
      "ExecutionTimedOut",
    ]);
  });

  it("refuses what AWS refuses, and says why in DescribeExecution", async () => {
    const t = setup(
      { StartAt: "T", States: { T: task({ End: true }) } },
      { broken: (event) => (event as { bad?: boolean }).bad === true },
    );
    const ok = await t.run({});
    const bad = await t.run({ bad: true });
    expect(ok.first).toMatchObject({
      redriveStatus: "NOT_REDRIVABLE",
      redriveStatusReason: "Execution is SUCCEEDED and cannot be redriven",
    });
    await expect(t.rt.redriveExecution({ executionArn: ok.executionArn })).rejects.toMatchObject({
      name: "ExecutionNotRedrivable",
      message: expect.stringContaining("Execution is SUCCEEDED and cannot be redriven"),
    });

    await t.clock.advance(15 * 86_400_000);
    expect(t.rt.describeExecution({ executionArn: bad.executionArn })).toMatchObject({
      status: "FAILED",
      redriveStatus: "NOT_REDRIVABLE",
      redriveStatusReason: "Execution redrivable period exceeded",
    });
    await expect(t.rt.redriveExecution({ executionArn: bad.executionArn })).rejects.toMatchObject({
      name: "ExecutionNotRedrivable",
    });
    expect(t.rt.describeExecution({ executionArn: bad.executionArn }).redriveCount).toBe(0);
  });

  it("refuses a second redrive while the first runs, and lists by redrive filter", async () => {
    const t = setup(
      {
        StartAt: "T",
        States: { T: task({ Next: "Hold" }), Hold: { Type: "Wait", Seconds: 60, End: true } },
      },
      { broken: () => true },
    );
    const { executionArn } = await t.run({});
    await t.run({ other: true });
    t.fix();
    await t.rt.redriveExecution({ executionArn, clientToken: "once" });
    // The same client token (an SDK retry) is the same redrive, not an error.
    await expect(
      t.rt.redriveExecution({ executionArn, clientToken: "once" }),
    ).resolves.toBeDefined();
    await expect(t.rt.redriveExecution({ executionArn })).rejects.toMatchObject({
      name: "ExecutionNotRedrivable",
      message: expect.stringContaining("RUNNING"),
    });

    const redriven = t.rt.listExecutions({ redriveFilter: "REDRIVEN" }).executions;
    const notRedriven = t.rt.listExecutions({ redriveFilter: "NOT_REDRIVEN" }).executions;
    expect(redriven.map((e) => (e as { executionArn: string }).executionArn)).toEqual([
      executionArn,
    ]);
    expect(redriven[0]).toMatchObject({ redriveCount: 1 });
    expect(notRedriven).toHaveLength(1);
    expect(() => t.rt.listExecutions({ redriveFilter: "SOMETIMES" })).toThrow(/redriveFilter/);
  });
});
