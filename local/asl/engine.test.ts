import { describe, expect, it } from "vitest";
import {
  advance,
  type Command,
  compile,
  DefinitionError,
  type EngineEvent,
  type EngineServices,
  type EngineSnapshot,
  type HistoryEvent,
  type StartParams,
  start,
} from "./index.ts";

const services: EngineServices = { mintTaskToken: (arn, id) => `token:${arn}:${id}` };
const T0 = Date.UTC(2025, 0, 1);
const params = (input: unknown): StartParams => ({
  executionArn: "arn:aws:states:eu-west-1:123456789012:execution:sm:run-1",
  stateMachineArn: "arn:aws:states:eu-west-1:123456789012:stateMachine:sm",
  name: "run-1",
  input: input as never,
  startTime: T0,
  seed: "seed-1",
});

const approval = compile({
  StartAt: "Prepare",
  States: {
    Prepare: {
      Type: "Pass",
      Parameters: { "id.$": "States.UUID()", "order.$": "$.order" },
      Next: "Approve",
    },
    Approve: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { "token.$": "$$.Task.Token", "order.$": "$.order" },
      TimeoutSeconds: 3600,
      HeartbeatSeconds: 600,
      ResultPath: "$.decision",
      Catch: [
        {
          ErrorEquals: ["States.Timeout", "States.HeartbeatTimeout"],
          ResultPath: "$.error",
          Next: "Expired",
        },
      ],
      Next: "Cool",
    },
    Cool: { Type: "Wait", Seconds: 60, Next: "Done" },
    Done: { Type: "Succeed" },
    Expired: { Type: "Fail", Error: "Expired", CausePath: "$.error.Error" },
  },
});

const types = (h: HistoryEvent[]) => h.map((e) => e.type);
const taskCmd = (cmds: Command[]) =>
  cmds.find((c) => c.kind === "task") as Extract<Command, { kind: "task" }>;
const timerOf = (cmds: Command[]) =>
  cmds.find((c) => c.kind === "timer") as Extract<Command, { kind: "timer" }>;
/** Fires a timer of the approval machine at its time. */
const fire = (snapshot: EngineSnapshot, timer: { id: string; at: number }) =>
  advance(approval, snapshot, { type: "timerFired", id: timer.id, at: timer.at }, services);

describe("start / advance", () => {
  it("runs until a task waits, with a minted token in the command and the request", async () => {
    const r = await start(approval, params({ order: 7 }), services);
    expect(r.status).toBe("RUNNING");
    expect(types(r.history)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
    ]);
    const task = taskCmd(r.commands);
    expect(task.taskToken).toBe(`token:${params(null).executionArn}:${task.id}`);
    expect(task.input).toEqual({ token: task.taskToken, order: 7 });
    expect(task).toMatchObject({
      resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      timeoutSeconds: 3600,
      heartbeatSeconds: 600,
    });
    const timers = r.commands.filter((c) => c.kind === "timer");
    expect(timers.map((t) => (t as { at: number }).at)).toEqual([T0 + 3_600_000, T0 + 600_000]);
    expect(r.history.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("continues on taskSucceeded, waits on a timer, and ends when it fires", async () => {
    const s = await start(approval, params({ order: 7 }), services);
    const task = taskCmd(s.commands);
    const r1 = await advance(
      approval,
      s.snapshot,
      { type: "taskSucceeded", id: task.id, output: { ok: true }, at: T0 + 5000 },
      services,
    );
    expect(r1.status).toBe("RUNNING");
    expect(r1.commands.filter((c) => c.kind === "cancelTimer")).toHaveLength(2);
    const wait = timerOf(r1.commands);
    expect(wait.at).toBe(T0 + 5000 + 60_000);
    const r2 = await fire(r1.snapshot, wait);
    expect(r2.status).toBe("SUCCEEDED");
    expect(r2.output).toMatchObject({ order: 7, decision: { ok: true } });
    expect(types(r2.history)).toEqual([
      "WaitStateExited",
      "SucceedStateEntered",
      "SucceedStateExited",
      "ExecutionSucceeded",
    ]);
    expect(r2.history[0]?.timestamp).toBe(wait.at);
  });

  it("ignores stale and unknown ids", async () => {
    const s = await start(approval, params({ order: 7 }), services);
    const r = await advance(
      approval,
      s.snapshot,
      { type: "taskSucceeded", id: "nope", output: 1, at: T0 + 1 },
      services,
    );
    expect(r).toMatchObject({ status: "RUNNING", history: [], commands: [] });
    const r2 = await advance(
      approval,
      s.snapshot,
      { type: "timerFired", id: "timer-999", at: T0 + 2 },
      services,
    );
    expect(r2.history).toEqual([]);
  });

  it("times out a task that stops heartbeating, and the Catch takes over", async () => {
    const s = await start(approval, params({ order: 7 }), services);
    const task = taskCmd(s.commands);
    const hb = await advance(
      approval,
      s.snapshot,
      { type: "taskHeartbeat", id: task.id, at: T0 + 500_000 },
      services,
    );
    const newHb = timerOf(hb.commands);
    expect(newHb.at).toBe(T0 + 1_100_000);
    const r = await fire(hb.snapshot, newHb);
    expect(r.status).toBe("FAILED");
    expect(r).toMatchObject({ error: "Expired", cause: "States.Timeout" });
    expect(types(r.history)).toEqual([
      "TaskTimedOut",
      "TaskStateExited",
      "FailStateEntered",
      "ExecutionFailed",
    ]);
    expect(r.commands).toContainEqual({ kind: "cancelTask", id: task.id });
  });

  it("replays recorded events into the same history and commands", async () => {
    const events: EngineEvent[] = [];
    const first = await start(approval, params({ order: 1 }), services);
    const task = taskCmd(first.commands);
    events.push({ type: "taskSucceeded", id: task.id, output: "yes", at: T0 + 10 });
    let live = [first];
    let snap = first.snapshot;
    const r1 = await advance(approval, snap, events[0] as EngineEvent, services);
    snap = r1.snapshot;
    live.push(r1);
    const wait = r1.commands.find((c) => c.kind === "timer") as { id: string; at: number };
    events.push({ type: "timerFired", id: wait.id, at: wait.at });
    live.push(await advance(approval, snap, events[1] as EngineEvent, services));

    const replay = [await start(approval, params({ order: 1 }), services)];
    for (const e of events)
      replay.push(await advance(approval, replay[0]?.snapshot as never, e, services));
    const strip = (rs: typeof live) =>
      rs.map((r) => ({ h: JSON.parse(JSON.stringify(r.history)), c: r.commands, s: r.status }));
    expect(strip(replay)).toEqual(strip(live));
    live = [];
  });

  it("stops on request", async () => {
    const s = await start(approval, params({ order: 7 }), services);
    const r = await advance(
      approval,
      s.snapshot,
      { type: "stop", error: "Bye", cause: "user", at: T0 + 1 },
      services,
    );
    expect(r).toMatchObject({ status: "ABORTED", error: "Bye", cause: "user" });
    expect(types(r.history)).toEqual(["ExecutionAborted"]);
    expect(r.commands.map((c) => c.kind).sort()).toEqual([
      "cancelTask",
      "cancelTimer",
      "cancelTimer",
    ]);
  });
});

describe("compile", () => {
  it("rejects .waitForTaskToken in an EXPRESS state machine, naming the state", () => {
    expect(() => compile(approval.definition, { type: "EXPRESS" })).toThrow(DefinitionError);
    try {
      compile(approval.definition, { type: "EXPRESS" });
    } catch (e) {
      expect((e as DefinitionError).diagnostics[0]?.location).toBe("/States/Approve/Resource");
    }
  });

  it("rejects resources the runtime cannot run", () => {
    expect(() => compile(approval.definition, { isKnownResource: () => false })).toThrow(/Approve/);
  });
});

describe("history quota", () => {
  it("fails the execution once its history passes maxHistoryEvents", async () => {
    const { runToCompletion } = await import("../sfn/index.ts");
    const loop = compile({
      StartAt: "Again",
      States: { Again: { Type: "Wait", Seconds: 1, Next: "Again" } },
    });
    const r = await runToCompletion(loop, {}, { maxHistoryEvents: 25_000 });
    expect(r).toMatchObject({
      status: "FAILED",
      error: "States.Runtime",
      cause: "The execution reached the maximum number of history events (25000).",
    });
    // AWS: event 25,000 is ExecutionFailed unless it is ExecutionSucceeded.
    expect(r.history).toHaveLength(25_000);
    expect(r.history.at(-1)).toMatchObject({ id: 25_000, type: "ExecutionFailed" });
  });

  it("drops what a step did past the quota: a Task's three events at 24,998 end at 25,000", async () => {
    const { runToCompletion } = await import("../sfn/index.ts");
    // Pass loop to an even id, then a Task (entered, scheduled, started) crosses the quota.
    const m = compile({
      StartAt: "Count",
      States: {
        Count: { Type: "Pass", Next: "Work" },
        Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true },
      },
    });
    const r = await runToCompletion(m, {}, { maxHistoryEvents: 4, invoke: () => null });
    expect(r.history.map((e) => [e.id, e.type])).toEqual([
      [1, "ExecutionStarted"],
      [2, "PassStateEntered"],
      [3, "PassStateExited"],
      [4, "ExecutionFailed"],
    ]);
  });

  it("lets an execution whose event at the quota is ExecutionSucceeded succeed", async () => {
    const { runToCompletion } = await import("../sfn/index.ts");
    const m = compile({ StartAt: "A", States: { A: { Type: "Pass", End: true } } });
    // ExecutionStarted, PassStateEntered, PassStateExited, ExecutionSucceeded.
    expect((await runToCompletion(m, {}, { maxHistoryEvents: 4 })).status).toBe("SUCCEEDED");
    expect(await runToCompletion(m, {}, { maxHistoryEvents: 3 })).toMatchObject({
      status: "FAILED",
      cause: "The execution reached the maximum number of history events (3).",
    });
  });
});

describe("recordHistory: false", () => {
  it("counts event ids as with history, so causes cite the same ids", async () => {
    const { runToCompletion } = await import("../sfn/index.ts");
    const m = compile({
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "Ok",
            States: { Ok: { Type: "Pass", End: true } },
          },
          Next: "Bad",
        },
        Bad: { Type: "Pass", InputPath: "$.nope", End: true },
      },
    });
    const withHistory = await runToCompletion(m, [1, 2]);
    const without = await runToCompletion(m, [1, 2], { history: false });
    expect(without.history).toEqual([]);
    expect(without).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(without.status === "FAILED" && without.cause).toBe(
      withHistory.status === "FAILED" && withHistory.cause,
    );
    expect(withHistory.status === "FAILED" && withHistory.cause).toContain(
      "(entered at the event id #14)",
    );
  });
});

describe("history text", () => {
  it("records each state's input and output exactly as JSON.stringify would", async () => {
    const { runToCompletion } = await import("../sfn/index.ts");
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 6; i++) {
      const next = i < 5 ? { Next: `S${i + 1}` } : { End: true };
      const resultPath = ["$.a", "$.b", "$.a", "$.0", "$.n.x", "$.c"][i];
      states[`S${i}`] = {
        Type: "Pass",
        Result: { v: i, s: 'é"' },
        ResultPath: resultPath,
        ...next,
      };
    }
    const m = compile({ StartAt: "S0", States: states });
    const r = await runToCompletion(m, { z: 1, "1": true });
    expect(r.status).toBe("SUCCEEDED");
    let expected: Record<string, unknown> = { z: 1, "1": true };
    const exits = r.history.filter((e) => e.type === "PassStateExited");
    const paths = [["a"], ["b"], ["a"], ["0"], ["n", "x"], ["c"]];
    exits.forEach((e, i) => {
      const [k, k2] = paths[i] as [string, string?];
      const value = { v: i, s: 'é"' };
      expected = k2
        ? { ...expected, [k]: { ...((expected[k] as object) ?? {}), [k2]: value } }
        : { ...expected, [k]: value };
      expect((e.stateExitedEventDetails as { output: string }).output).toBe(
        JSON.stringify(expected),
      );
    });
  });
});

describe("endless loops", () => {
  it("end with a failure instead of spinning forever", async () => {
    const { runToCompletion } = await import("../sfn/index.ts");
    const m = compile({
      StartAt: "A",
      States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" } },
    });
    const r = await runToCompletion(m, {}, { history: false, maxHistoryEvents: 50_000 });
    expect(r).toMatchObject({ status: "FAILED", error: "States.Runtime" });
  });
});
