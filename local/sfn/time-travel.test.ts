/**
 * Time travel for one execution: its token timeout, retry back-offs and waits fire at their own
 * times when it is advanced, other executions keep the runtime's clock, history timestamps are
 * the execution's, the offset survives a restart, bad requests are refused by name — and the wire
 * operation `AWSStepFunctions.CountersignAdvanceExecution` does the same over HTTP.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { HistoryEvent } from "../asl/types.ts";
import { VirtualClock } from "./clock.ts";
import { createRuntime, type SfnRuntime } from "./runtime.ts";
import { serveSfnApi } from "./server.ts";

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** Waits up to 24 h for a decision; a timeout is caught and compensated, then the run fails. */
const APPROVAL = JSON.stringify({
  StartAt: "Approve",
  States: {
    Approve: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: "ask", "Payload.$": "$$.Task.Token" },
      TimeoutSeconds: 86_400,
      Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Undo" }],
      End: true,
    },
    Undo: { Type: "Task", Resource: fn("undo"), Next: "Rejected" },
    Rejected: { Type: "Fail", Error: "ApprovalTimedOut" },
  },
});

/** Fails twice (retried after 1 h, then 2 h), then waits 10 h. */
const BACKOFF = JSON.stringify({
  StartAt: "Flaky",
  States: {
    Flaky: {
      Type: "Task",
      Resource: fn("flaky"),
      Retry: [{ ErrorEquals: ["Busy"], IntervalSeconds: 3600, BackoffRate: 2, MaxAttempts: 3 }],
      Next: "Rest",
    },
    Rest: { Type: "Wait", Seconds: 36_000, End: true },
  },
});

class Busy extends Error {
  override name = "Busy";
}

const dirs: string[] = [];
const runtimes: SfnRuntime[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(clock: VirtualClock, dataDir?: string) {
  let flaky = 0;
  const undone: string[] = [];
  const runtime = createRuntime({
    clock,
    ...(dataDir ? { dataDir } : { store: "memory" as const }),
    functions: {
      ask: () => ({ asked: true }),
      undo: (event) => {
        undone.push(JSON.stringify(event));
        return { undone: true };
      },
      flaky: () => {
        if (flaky++ < 2) throw new Busy("try later");
        return { ok: true };
      },
    },
  });
  runtimes.push(runtime);
  return { runtime, undone };
}

async function start(runtime: SfnRuntime, definition: string, machine: string, name: string) {
  const arn = `arn:aws:states:us-east-1:123456789012:stateMachine:${machine}`;
  try {
    runtime.describeStateMachine({ stateMachineArn: arn });
  } catch {
    runtime.createStateMachine({
      name: machine,
      definition,
      roleArn: "arn:aws:iam::123456789012:role/r",
    });
  }
  const { executionArn } = await runtime.startExecution({ stateMachineArn: arn, name });
  await runtime.idle();
  return executionArn;
}

function history(runtime: SfnRuntime, executionArn: string): HistoryEvent[] {
  return runtime.getExecutionHistory({ executionArn, maxResults: 1000 })
    .events as unknown as HistoryEvent[];
}

const at = (events: HistoryEvent[], type: string) =>
  events.filter((e) => e.type === type).map((e) => new Date(e.timestamp).getTime() - T0);

describe("advancing one execution", () => {
  it("times out its 24 h wait at +24 h, compensates, and leaves another execution waiting", async () => {
    const clock = new VirtualClock(T0);
    const { runtime, undone } = open(clock);
    const a = await start(runtime, APPROVAL, "approval", "a");
    const b = await start(runtime, APPROVAL, "approval", "b");

    const r = await runtime.advanceExecution({ executionArn: a, advanceBySeconds: 25 * 3600 });

    expect(r).toMatchObject({ status: "FAILED", timersFired: 1 });
    expect(runtime.describeExecution({ executionArn: a })).toMatchObject({
      status: "FAILED",
      error: "ApprovalTimedOut",
    });
    const events = history(runtime, a);
    expect(at(events, "TaskTimedOut")).toEqual([24 * HOUR]);
    expect(at(events, "ExecutionFailed")[0]).toBeGreaterThanOrEqual(24 * HOUR);
    expect(undone).toHaveLength(1);
    expect(runtime.describeExecution({ executionArn: b }).status).toBe("RUNNING");
    expect(at(history(runtime, b), "TaskTimedOut")).toEqual([]);

    // b keeps the runtime's clock: its own timeout is still 24 hours of it away.
    await clock.advance(24 * HOUR - 1);
    expect(runtime.describeExecution({ executionArn: b }).status).toBe("RUNNING");
    await clock.advance(1);
    await runtime.idle();
    expect(runtime.describeExecution({ executionArn: b }).error).toBe("ApprovalTimedOut");
    expect(at(history(runtime, b), "TaskTimedOut")).toEqual([24 * HOUR]);
  });

  it("fires retry back-offs and a Wait in order, each at its own time, and rests at the target", async () => {
    const clock = new VirtualClock(T0);
    const { runtime } = open(clock);
    const arn = await start(runtime, BACKOFF, "backoff", "x");

    const first = await runtime.advanceExecution({ executionArn: arn, advanceBySeconds: 2 * 3600 });
    expect(first).toMatchObject({ status: "RUNNING", timersFired: 1, offsetSeconds: 7200 });
    expect(first.executionTime.getTime() - T0).toBe(2 * HOUR);

    const second = await runtime.advanceExecution({
      executionArn: arn,
      advanceTo: new Date(T0 + 14 * HOUR).toISOString(),
    });

    expect(second).toMatchObject({ status: "SUCCEEDED", timersFired: 2 });
    const events = history(runtime, arn);
    expect(at(events, "LambdaFunctionScheduled")).toEqual([0, HOUR, 3 * HOUR]);
    expect(at(events, "WaitStateExited")).toEqual([13 * HOUR]);
    expect(at(events, "ExecutionSucceeded")).toEqual([13 * HOUR]);
  });

  it("keeps its advanced time across a restart: the rest of its wait fires at the advanced time", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "time-travel-"));
    dirs.push(dataDir);
    const clock = new VirtualClock(T0);
    const first = open(clock, dataDir);
    const arn = await start(first.runtime, BACKOFF, "backoff", "durable");
    await first.runtime.advanceExecution({ executionArn: arn, advanceBySeconds: 4 * 3600 });
    await first.runtime.close();

    const second = open(clock, dataDir).runtime;
    // The Wait entered at +3 h of the execution's time ends at +13 h: 9 h of the clock from now.
    await clock.advance(9 * HOUR - 1);
    expect(second.describeExecution({ executionArn: arn }).status).toBe("RUNNING");
    await clock.advance(1);
    await second.idle();

    expect(second.describeExecution({ executionArn: arn }).status).toBe("SUCCEEDED");
    expect(at(history(second, arn), "ExecutionSucceeded")).toEqual([13 * HOUR]);
  });

  it("refuses what it cannot do, naming the member, and changes nothing", async () => {
    const clock = new VirtualClock(T0);
    const { runtime } = open(clock);
    const arn = await start(runtime, APPROVAL, "approval", "refused");
    const advance = (req: object) =>
      runtime.advanceExecution({ executionArn: arn, ...req }).then(
        () => "advanced",
        (e: Error) => `${e.name}: ${e.message}`,
      );

    expect(await advance({})).toMatch(/^ValidationException: .*exactly one of advanceBySeconds/);
    expect(await advance({ advanceBySeconds: 1, advanceTo: 5 })).toMatch(/exactly one/);
    expect(await advance({ advanceBySeconds: -5 })).toMatch(/advanceBySeconds must be a non-neg/);
    expect(await advance({ advanceTo: "yesterday" })).toMatch(/advanceTo must be a time/);
    expect(await advance({ advanceTo: "2025-12-31T00:00:00Z" })).toMatch(/only goes forward/);
    expect(
      await runtime
        .advanceExecution({ executionArn: `${arn}-missing`, advanceBySeconds: 1 })
        .catch((e: Error) => e.name),
    ).toBe("ExecutionDoesNotExist");
    expect(runtime.describeExecution({ executionArn: arn }).status).toBe("RUNNING");
    // A task waiting for its token has recorded TaskSubmitted last, as AWS records it.
    expect(history(runtime, arn).at(-1)?.type).toBe("TaskSubmitted");

    await runtime.stopExecution({ executionArn: arn });
    expect(await advance({ advanceBySeconds: 1 })).toMatch(/is ABORTED: only a RUNNING/);
  });

  it("answers AWSStepFunctions.CountersignAdvanceExecution over the wire API", async () => {
    const clock = new VirtualClock(T0);
    const { runtime } = open(clock);
    const arn = await start(runtime, APPROVAL, "approval", "wire");
    const server = await serveSfnApi(runtime, { port: 0 });
    try {
      const res = await fetch(server.url, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": "AWSStepFunctions.CountersignAdvanceExecution",
        },
        body: JSON.stringify({ executionArn: arn, advanceBySeconds: 90_000 }),
      });
      const body = await res.json();

      expect(res.status).toBe(200);
      expect(body).toMatchObject({
        executionArn: arn,
        status: "FAILED",
        offsetSeconds: 86_400,
        timersFired: 1,
        previousExecutionTime: T0 / 1000,
      });
    } finally {
      await server.close();
    }
  });
});
