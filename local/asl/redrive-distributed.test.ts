/**
 * Redrive of a Distributed Map (AWS's "Redriving Map Runs"): the parent's redrive redrives the
 * Map Run its Distributed Map state started (same ARN, `MapRunRedriven` in the parent's history)
 * when that Map Run failed or was aborted, and only its children that did not succeed run again;
 * a Map Run that ended otherwise (its failure caught, the state left) is not run again. Driven by
 * the runtime users run (memory store, virtual clock), with a handler that fails until "fixed".
 */
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, type Handler, type SfnRuntime, VirtualClock } from "../sfn/index.ts";

type Event = { id: number; type: string; [details: string]: unknown };

let runtime: SfnRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

/** `work` fails for the items `broken` names until fixed; `hold` items wait until released. */
function setup(
  definition: object,
  opts: { broken?: number[]; hold?: number[]; realClock?: boolean },
) {
  const calls: number[] = [];
  /** Items `prep` (a state before `work` in some processors) saw. */
  const preps: number[] = [];
  let fixed = false;
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const work: Handler = async (event) => {
    const n = event as number;
    calls.push(n);
    if (!fixed && opts.hold?.includes(n)) await held;
    if (!fixed && opts.broken?.includes(n)) throw new Error(`cannot do ${n}`);
    return n * 10;
  };
  // A held item must stay held: on the virtual clock, idle() would time its Lambda call out.
  const clock = opts.realClock ? {} : { clock: new VirtualClock(Date.UTC(2025, 0, 1)) };
  const prep: Handler = async (event) => {
    preps.push(event as number);
    return event;
  };
  const rt = createRuntime({ store: "memory", ...clock, functions: { work, prep } });
  runtime = rt;
  const { stateMachineArn } = rt.createStateMachine({
    name: "m",
    definition: JSON.stringify(definition),
  });
  return {
    rt,
    calls,
    preps,
    fix: () => {
      fixed = true;
      release();
    },
    start: async (input: unknown) =>
      (await rt.startExecution({ stateMachineArn, input: JSON.stringify(input) })).executionArn,
    history: (executionArn: string) =>
      rt.getExecutionHistory({ executionArn, maxResults: 1000 }).events as unknown as Event[],
    mapRuns: (executionArn: string) =>
      (rt.listMapRuns({ executionArn }).mapRuns as { mapRunArn: string }[]).map((m) => m.mapRunArn),
  };
}

const each = (extra: object = {}, executionType = "STANDARD") => ({
  Type: "Map",
  MaxConcurrency: 2,
  ItemProcessor: {
    ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: executionType },
    StartAt: "Work",
    States: {
      Work: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "work", "Payload.$": "$" },
        OutputPath: "$.Payload",
        End: true,
      },
    },
  },
  ...extra,
});

/** Polls (real time) until `f` gives a non-empty list. */
async function until<T>(f: () => T[]): Promise<T[]> {
  for (;;) {
    const v = f();
    if (v.length > 0) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}

const count = (calls: number[], n: number) => calls.filter((c) => c === n).length;

describe("redrive of a Distributed Map", () => {
  it("redrives the failed Map Run: same ARN, MapRunRedriven, only the failed children run again", async () => {
    const t = setup({ StartAt: "Each", States: { Each: each({ End: true }) } }, { broken: [2] });
    const executionArn = await t.start([0, 1, 2, 3]);
    const first = await t.rt.waitForExecution(executionArn);
    expect(first).toMatchObject({
      status: "FAILED",
      error: "States.ExceedToleratedFailureThreshold",
    });
    const [mapRunArn] = t.mapRuns(executionArn);
    const succeeded = [0, 1, 3].filter((i) => count(t.calls, i) === 1);

    t.fix();
    await t.rt.redriveExecution({ executionArn });
    const done = await t.rt.waitForExecution(executionArn);

    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string)).toEqual([0, 10, 20, 30]);
    expect(t.mapRuns(executionArn)).toEqual([mapRunArn]);
    expect(count(t.calls, 2)).toBe(2);
    for (const i of succeeded) expect(count(t.calls, i)).toBe(1);
    const events = t.history(executionArn);
    const types = events.map((e) => e.type);
    expect(types.slice(types.indexOf("ExecutionRedriven"))).toEqual([
      "ExecutionRedriven",
      "MapStateEntered",
      "MapStateStarted",
      "MapRunRedriven",
      "MapRunSucceeded",
      "MapStateSucceeded",
      "MapStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events.find((e) => e.type === "MapRunRedriven")).toMatchObject({
      mapRunRedrivenEventDetails: { mapRunArn, redriveCount: 1 },
    });
    expect(t.rt.describeMapRun({ mapRunArn: mapRunArn as string })).toMatchObject({
      status: "SUCCEEDED",
      redriveCount: 1,
      executionCounts: { succeeded: 4, total: 4 },
    });
  });

  it("redrives a Map Run aborted with its parent: the children that were running run again", async () => {
    const t = setup(
      { StartAt: "Each", States: { Each: each({ End: true }) } },
      { hold: [1], realClock: true },
    );
    const executionArn = await t.start([0, 1, 2]);
    const [mapRunArn] = await until(() => t.mapRuns(executionArn));
    await until(() =>
      t.rt.describeMapRun({ mapRunArn: mapRunArn as string }).executionCounts.succeeded === 2
        ? [1]
        : [],
    );
    await t.rt.stopExecution({ executionArn });
    const stopped = await t.rt.waitForExecution(executionArn);
    expect(stopped.status).toBe("ABORTED");
    await until(() =>
      t.rt.describeMapRun({ mapRunArn: mapRunArn as string }).status === "ABORTED" ? [1] : [],
    );
    expect(t.rt.describeMapRun({ mapRunArn: mapRunArn as string })).toMatchObject({
      status: "ABORTED",
      executionCounts: { succeeded: 2, aborted: 1 },
    });

    t.fix();
    await t.rt.redriveExecution({ executionArn });
    const done = await t.rt.waitForExecution(executionArn);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string)).toEqual([0, 10, 20]);
    expect([count(t.calls, 0), count(t.calls, 1), count(t.calls, 2)]).toEqual([1, 2, 1]);
    expect(t.mapRuns(executionArn)).toEqual([mapRunArn]);
  });

  it("does not run a Map Run again whose failure a Catch took: the state that failed later runs", async () => {
    const t = setup(
      {
        StartAt: "Each",
        States: {
          Each: each({
            Catch: [{ ErrorEquals: ["States.ALL"], Next: "After" }],
            Next: "After",
          }),
          After: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Parameters: { FunctionName: "work", Payload: 7 },
            OutputPath: "$.Payload",
            End: true,
          },
        },
      },
      { broken: [1, 7] },
    );
    const executionArn = await t.start([0, 1]);
    expect((await t.rt.waitForExecution(executionArn)).status).toBe("FAILED");

    t.fix();
    await t.rt.redriveExecution({ executionArn });
    const done = await t.rt.waitForExecution(executionArn);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string)).toBe(70);
    expect([count(t.calls, 0), count(t.calls, 1), count(t.calls, 7)]).toEqual([1, 1, 2]);
    const types = t.history(executionArn).map((e) => e.type);
    expect(types).not.toContain("MapRunRedriven");
    expect(types.filter((x) => x === "MapRunStarted")).toHaveLength(1);
  });

  it("fails with States.Runtime once the Map Run was redriven 1,000 times (AWS's hard limit)", async () => {
    // EXPRESS children (each rerun a new execution): the fastest loop of 1,001 runs.
    const t = setup(
      { StartAt: "Each", States: { Each: each({ End: true }, "EXPRESS") } },
      { broken: [0] },
    );
    const executionArn = await t.start([0]);
    await t.rt.waitForExecution(executionArn);
    for (let i = 1; i <= 1000; i++) {
      await t.rt.redriveExecution({ executionArn });
      const d = await t.rt.waitForExecution(executionArn);
      if (d.error !== "States.ExceedToleratedFailureThreshold")
        throw new Error(`redrive ${i}: ${d.error}`);
    }
    const [mapRunArn] = t.mapRuns(executionArn);
    expect(t.rt.describeMapRun({ mapRunArn: mapRunArn as string }).redriveCount).toBe(1000);
    expect(count(t.calls, 0)).toBe(1001);

    t.fix();
    await t.rt.redriveExecution({ executionArn });
    const last = await t.rt.waitForExecution(executionArn);
    expect(last).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(last.cause).toContain("redriven 1000 times");
    expect(count(t.calls, 0)).toBe(1001);
    expect(t.mapRuns(executionArn)).toEqual([mapRunArn]);
  }, 60_000);

  for (const [type, prepCalls] of [
    ["STANDARD", [1, 1, 1]],
    ["EXPRESS", [1, 2, 1]],
  ] as const) {
    it(`reruns a failed ${type} child ${type === "STANDARD" ? "from the state it failed in" : "from its first state"}, under the same ARN`, async () => {
      const invoke = (fn: string, next?: string) => ({
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: fn, "Payload.$": "$" },
        OutputPath: "$.Payload",
        ...(next ? { Next: next } : { End: true }),
      });
      const t = setup(
        {
          StartAt: "Each",
          States: {
            Each: {
              Type: "Map",
              ItemProcessor: {
                ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: type },
                StartAt: "Prep",
                States: { Prep: invoke("prep", "Work"), Work: invoke("work") },
              },
              End: true,
            },
          },
        },
        { broken: [1] },
      );
      const executionArn = await t.start([0, 1, 2]);
      expect((await t.rt.waitForExecution(executionArn)).status).toBe("FAILED");
      const [mapRunArn] = t.mapRuns(executionArn);
      const arns = () =>
        (t.rt.listExecutions({ mapRunArn }).executions as { executionArn: string }[])
          .map((e) => e.executionArn)
          .sort();
      const before = arns();

      t.fix();
      await t.rt.redriveExecution({ executionArn });
      const done = await t.rt.waitForExecution(executionArn);
      expect(done.status).toBe("SUCCEEDED");
      expect(JSON.parse(done.output as string)).toEqual([0, 10, 20]);
      expect([0, 1, 2].map((i) => count(t.preps, i))).toEqual(prepCalls);
      expect([0, 1, 2].map((i) => count(t.calls, i))).toEqual([1, 2, 1]);
      expect(arns()).toEqual(before);
    });
  }

  it("starts a new Map Run when the Map Run failed with States.Runtime, as AWS does", async () => {
    const t = setup(
      {
        StartAt: "Each",
        States: { Each: each({ ItemBatcher: { MaxInputBytesPerBatch: 50 }, End: true }) },
      },
      {},
    );
    const executionArn = await t.start(["x".repeat(100)]);
    const first = await t.rt.waitForExecution(executionArn);
    expect(first).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    await t.rt.redriveExecution({ executionArn });
    expect((await t.rt.waitForExecution(executionArn)).error).toBe("States.Runtime");
    expect(t.mapRuns(executionArn)).toHaveLength(2);
    const types = t.history(executionArn).map((e) => e.type);
    expect(types.filter((x) => x === "MapRunStarted")).toHaveLength(2);
    expect(types).not.toContain("MapRunRedriven");
  });

  it("a redrive right after StopExecution redrives the Map Run once it has finished aborting", async () => {
    const t = setup(
      { StartAt: "Each", States: { Each: each({ End: true }) } },
      { hold: [1], realClock: true },
    );
    const executionArn = await t.start([0, 1, 2]);
    await until(() => (count(t.calls, 1) === 1 ? [1] : []));
    await t.rt.stopExecution({ executionArn });
    t.fix();
    await t.rt.redriveExecution({ executionArn });
    const done = await t.rt.waitForExecution(executionArn);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string)).toEqual([0, 10, 20]);
    const [mapRunArn] = t.mapRuns(executionArn);
    expect(t.rt.describeMapRun({ mapRunArn: mapRunArn as string })).toMatchObject({
      status: "SUCCEEDED",
      redriveCount: 1,
    });
  });
});
