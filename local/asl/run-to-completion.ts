/**
 * Runs an execution to its end in memory on a virtual clock: tasks go to an optional invoker,
 * timers fire in time order with the clock jumping forward (a 24-hour wait takes no time). Used by
 * the conformance runner, `countersign asl run`, benchmarks and tests.
 */
import { advanceExecution, startExecution } from "./engine.ts";
import type { CompiledMachine } from "./model.ts";
import type { Snapshot } from "./runtime.ts";
import type {
  Command,
  EngineEvent,
  EngineServices,
  HistoryEvent,
  Json,
  RunResult,
  StepResult,
} from "./types.ts";

/** What a task invoker answers. `delaySeconds` holds the answer back on the virtual clock;
 * `null` never answers (useful to exercise TimeoutSeconds). */
export type TaskAnswer =
  | { output: Json; delaySeconds?: number }
  | { error: string; cause?: string; delaySeconds?: number }
  | null;

export type TaskCommand = Extract<Command, { kind: "task" }>;

export interface RunOptions {
  /** Runs a task; without one every task fails with `Countersign.NoTaskInvoker`. */
  invoke?: (cmd: TaskCommand, now: number) => Promise<TaskAnswer> | TaskAnswer;
  /** Virtual start time (epoch ms); default 2024-01-01T00:00:00Z. */
  startTime?: number;
  seed?: string;
  name?: string;
  executionArn?: string;
  stateMachineArn?: string;
  services?: EngineServices;
  /** Keep history events (default true). */
  history?: boolean;
  /** Stops a run that keeps going (e.g. an endless Wait loop) after this many engine steps. */
  maxSteps?: number;
}

interface Scheduled {
  at: number;
  seq: number;
  event: EngineEvent;
}

/** The result of an in-memory run, plus the virtual time at which it ended. */
export type InMemoryResult = RunResult & { endTime: number };

/** Runs `machine` on `input` until the execution ends. */
export async function runInMemory(
  machine: CompiledMachine,
  input: Json,
  options: RunOptions = {},
): Promise<InMemoryResult> {
  const startTime = options.startTime ?? Date.UTC(2024, 0, 1);
  const name = options.name ?? "local";
  const smArn =
    options.stateMachineArn ?? "arn:aws:states:us-east-1:123456789012:stateMachine:local";
  const execArn =
    options.executionArn ?? `${smArn.replace(":stateMachine:", ":execution:")}:${name}`;
  const services: EngineServices = options.services ?? {
    mintTaskToken: (arn, id) => Buffer.from(`${arn}#${id}`).toString("base64url"),
  };
  const keepHistory = options.history !== false;
  const history: HistoryEvent[] = [];
  const queue: Scheduled[] = [];
  let seq = 0;
  let now = startTime;
  const cancelledTimers = new Set<string>();

  const absorb = async (r: StepResult<Snapshot>): Promise<void> => {
    if (keepHistory) for (const h of r.history) history.push(h);
    for (const cmd of r.commands) {
      if (cmd.kind === "timer")
        queue.push({
          at: cmd.at,
          seq: seq++,
          event: { type: "timerFired", id: cmd.id, at: cmd.at },
        });
      else if (cmd.kind === "cancelTimer") cancelledTimers.add(cmd.id);
      else if (cmd.kind === "task") {
        const answer: TaskAnswer = options.invoke
          ? await options.invoke(cmd, now)
          : {
              error: "Countersign.NoTaskInvoker",
              cause: `No task invoker for resource '${cmd.resource}'`,
            };
        if (answer === null) continue;
        const at = now + Math.round((answer.delaySeconds ?? 0) * 1000);
        const event: EngineEvent =
          "error" in answer
            ? { type: "taskFailed", id: cmd.id, error: answer.error, cause: answer.cause, at }
            : { type: "taskSucceeded", id: cmd.id, output: answer.output, at };
        queue.push({ at, seq: seq++, event });
      }
    }
  };

  let r = await startExecution(
    machine,
    {
      executionArn: execArn,
      stateMachineArn: smArn,
      name,
      input,
      startTime,
      seed: options.seed ?? name,
    },
    services,
  );
  let snapshot = r.snapshot;
  await absorb(r);
  const maxSteps = options.maxSteps ?? 1_000_000;
  let steps = 0;
  while (r.status === "RUNNING" && queue.length > 0 && steps++ < maxSteps) {
    let best = 0;
    for (let i = 1; i < queue.length; i++) {
      const a = queue[i] as Scheduled;
      const b = queue[best] as Scheduled;
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) best = i;
    }
    const next = queue.splice(best, 1)[0] as Scheduled;
    if (next.event.type === "timerFired" && cancelledTimers.has(next.event.id)) continue;
    now = Math.max(now, next.at);
    r = await advanceExecution(machine, snapshot, { ...next.event, at: now }, services);
    snapshot = r.snapshot;
    await absorb(r);
  }
  if (r.status === "RUNNING") {
    r = await advanceExecution(
      machine,
      snapshot,
      {
        type: "stop",
        error: "Countersign.Stuck",
        cause: "The execution waits for something that never happens.",
        at: now,
      },
      services,
    );
    await absorb(r);
  }
  if (r.status === "SUCCEEDED")
    return { status: "SUCCEEDED", output: r.output as Json, history, endTime: now };
  const out: InMemoryResult = { status: r.status as "FAILED", history, endTime: now };
  if (r.error !== undefined) out.error = r.error;
  if (r.cause !== undefined) out.cause = r.cause;
  return out;
}
