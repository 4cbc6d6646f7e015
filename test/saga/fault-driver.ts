/**
 * Runs one execution on the pure engine (`start` / `advance`) under a fault plan, the way the
 * durable runtime (local/sfn) does — an engine event log, a virtual clock, tasks invoked
 * in-process with Lambda's envelope and error shape — but without SQLite, so the property test
 * can run thousands of sagas.
 *
 * Faults: an invocation can fail before the handler runs (`Lambda.ServiceException`), fail after
 * it ran (its answer lost: `Lambda.Unknown`), or be delivered twice (sequentially or concurrently).
 * A crash after invocation k is modelled as the durable runtime recovers from one: the snapshot is
 * thrown away and rebuilt by replaying the recorded engine events, the answer of the task that was
 * running is lost, and the task is invoked again (`Executor.resume()` re-invokes running tasks).
 */
import { randomUUID } from "node:crypto";
import {
  advance,
  type CompiledMachine,
  type EngineEvent,
  type EngineServices,
  type EngineSnapshot,
  type ExecutionStatus,
  type HistoryEvent,
  type Json,
  type StartParams,
  type StepResult,
  start,
} from "../../local/asl/index.ts";
import type { Handler } from "../../local/sfn/index.ts";

export type FaultKind = "before" | "after" | "twice" | "twiceConcurrent";

/** `times` consecutive invocations of function `fn` (from its `from`-th, 0-based) get `kind`. */
export interface Fault {
  fn: string;
  kind: FaultKind;
  from: number;
  times: number;
}

export interface DriverPlan {
  faults: Fault[];
  /** Crash right after these task invocations (global 0-based invocation numbers). */
  crashes: number[];
  /** The answer of a `.waitForTaskToken` task (the approval), or null to let it time out. */
  approval: Json | null;
}

export interface DriverResult {
  status: ExecutionStatus;
  error?: string;
  cause?: string;
  output?: Json;
  history: HistoryEvent[];
  invocations: number;
  crashes: number;
}

type Queued =
  | { at: number; seq: number; kind: "timer"; id: string }
  | { at: number; seq: number; kind: "task"; cmd: TaskCommand }
  | { at: number; seq: number; kind: "event"; event: EngineEvent };
type TaskCommand = Extract<StepResult["commands"][number], { kind: "task" }>;

const services: EngineServices = {
  mintTaskToken: (arn, id) => Buffer.from(`${arn}#${id}`).toString("base64url"),
};

class InvocationFailed {
  constructor(
    readonly error: string,
    readonly cause: string,
  ) {}
}

/** Invokes a handler with a Lambda context and AWS's error shape; returns the invoke envelope. */
async function invokeLambda(handler: Handler, name: string, payload: Json): Promise<Json> {
  const requestId = randomUUID();
  const context = {
    functionName: name,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: "128",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `local/${requestId}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    done() {},
    fail() {},
    succeed() {},
  };
  try {
    const result = await handler(structuredClone(payload), context);
    return { StatusCode: 200, ExecutedVersion: "$LATEST", Payload: (result ?? null) as Json };
  } catch (error) {
    const e = error as Error;
    const errorType = e?.name || "Error";
    throw new InvocationFailed(
      errorType,
      JSON.stringify({ errorType, errorMessage: e?.message ?? String(error), trace: [] }),
    );
  }
}

/** Runs `machine` on `input` under `plan` until the execution ends. */
export async function runWithFaults(
  machine: CompiledMachine,
  input: Json,
  options: {
    name: string;
    functions: Record<string, Handler>;
    plan: DriverPlan;
    startTime?: number;
  },
): Promise<DriverResult> {
  const params: StartParams = {
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:order-saga:${options.name}`,
    stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:order-saga",
    name: options.name,
    input,
    startTime: options.startTime ?? Date.UTC(2025, 0, 1),
    seed: options.name,
  };
  const log: EngineEvent[] = [];
  const history: HistoryEvent[] = [];
  const queue: Queued[] = [];
  const cancelled = new Set<string>();
  const calls = new Map<string, number>();
  let seq = 0;
  let now = params.startTime;
  let invocations = 0;
  let crashes = 0;

  let r = await start(machine, params, services);
  let snapshot: EngineSnapshot = r.snapshot;
  const absorb = (step: StepResult<EngineSnapshot>) => {
    snapshot = step.snapshot;
    history.push(...step.history);
    for (const cmd of step.commands) {
      if (cmd.kind === "timer") queue.push({ at: cmd.at, seq: seq++, kind: "timer", id: cmd.id });
      else if (cmd.kind === "task") queue.push({ at: now, seq: seq++, kind: "task", cmd });
      else cancelled.add(cmd.id);
    }
  };
  absorb(r);

  const fault = (fn: string, n: number): FaultKind | undefined =>
    options.plan.faults.find((f) => f.fn === fn && n >= f.from && n < f.from + f.times)?.kind;

  /** One task's outcome: the engine event to record, or undefined (no answer, e.g. a token task). */
  const runTask = async (cmd: TaskCommand): Promise<EngineEvent | "crash" | undefined> => {
    const request = cmd.input as { FunctionName: string; Payload: Json };
    const name = String(request.FunctionName).split(":").pop() as string;
    const handler = options.functions[name];
    const index = invocations++;
    const n = calls.get(name) ?? 0;
    calls.set(name, n + 1);
    const kind = fault(name, n);
    let event: EngineEvent | undefined;
    if (!handler) {
      event = {
        type: "taskFailed",
        id: cmd.id,
        error: "Lambda.ResourceNotFoundException",
        cause: name,
        at: now,
      };
    } else if (kind === "before") {
      event = {
        type: "taskFailed",
        id: cmd.id,
        error: "Lambda.ServiceException",
        cause: "injected before the handler",
        at: now,
      };
    } else {
      try {
        let out: Json;
        if (kind === "twiceConcurrent") {
          const both = await Promise.allSettled([
            invokeLambda(handler, name, request.Payload),
            invokeLambda(handler, name, request.Payload),
          ]);
          const second = both[1];
          if (second.status === "rejected") throw second.reason;
          out = second.value;
        } else {
          if (kind === "twice")
            await invokeLambda(handler, name, request.Payload).catch(() => undefined);
          out = await invokeLambda(handler, name, request.Payload);
        }
        event =
          kind === "after"
            ? {
                type: "taskFailed",
                id: cmd.id,
                error: "Lambda.Unknown",
                cause: "injected: the answer was lost",
                at: now,
              }
            : { type: "taskSucceeded", id: cmd.id, output: out, at: now };
      } catch (error) {
        if (!(error instanceof InvocationFailed)) throw error;
        event = { type: "taskFailed", id: cmd.id, error: error.error, cause: error.cause, at: now };
      }
    }
    if (options.plan.crashes.includes(index)) return "crash";
    if (cmd.taskToken && event.type === "taskSucceeded") {
      // `.waitForTaskToken`: the Lambda's answer is not the task's result; the approval is.
      if (options.plan.approval === null) return undefined;
      return { type: "taskSucceeded", id: cmd.id, output: options.plan.approval, at: now };
    }
    return event;
  };

  for (let steps = 0; r.status === "RUNNING"; steps++) {
    if (steps > 10_000) throw new Error(`${options.name}: no end after 10000 steps`);
    queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = queue.shift();
    if (!next) throw new Error(`${options.name}: stuck, nothing left to do (status RUNNING)`);
    now = Math.max(now, next.at);
    let event: EngineEvent | undefined;
    if (next.kind === "timer") {
      if (cancelled.has(next.id)) continue;
      event = { type: "timerFired", id: next.id, at: now };
    } else if (next.kind === "event") {
      event = { ...next.event, at: now } as EngineEvent;
    } else {
      if (cancelled.has(next.cmd.id)) continue;
      const outcome = await runTask(next.cmd);
      if (outcome === "crash") {
        crashes++;
        // The process died: its memory is gone. Rebuild from the log; the running task runs again.
        let replay = await start(machine, params, services);
        for (const e of log) replay = await advance(machine, replay.snapshot, e, services);
        snapshot = replay.snapshot;
        queue.push({ at: now, seq: seq++, kind: "task", cmd: next.cmd });
        continue;
      }
      event = outcome;
    }
    if (!event) continue;
    log.push(event);
    r = await advance(machine, snapshot, event, services);
    absorb(r);
  }
  return {
    status: r.status,
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
    ...(r.output !== undefined ? { output: r.output } : {}),
    history,
    invocations,
    crashes,
  };
}
