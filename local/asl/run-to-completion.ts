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
  /** Fails the execution past this many history events (AWS's STANDARD quota is 25,000). */
  maxHistoryEvents?: number;
  /** Stops a run that keeps going (e.g. an endless Wait loop) after this many engine steps. */
  maxSteps?: number;
}

const DEFAULT_START = Date.UTC(2024, 0, 1);
const DEFAULT_SM_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:local";
const DEFAULT_EXEC_ARN = "arn:aws:states:us-east-1:123456789012:execution:local:local";
const DEFAULT_SERVICES: EngineServices = {
  mintTaskToken: (arn, id) => Buffer.from(`${arn}#${id}`).toString("base64url"),
};

interface Scheduled {
  at: number;
  seq: number;
  event: EngineEvent;
}

/** The result of an in-memory run, plus the virtual time at which it ended. */
export type InMemoryResult = RunResult & { endTime: number };

/** The bookkeeping of one run; a class so the hot path creates no closures. */
class VirtualRun {
  history: HistoryEvent[] = [];
  readonly queue: Scheduled[] = [];
  readonly cancelledTimers = new Set<string>();
  seq = 0;
  now: number;
  constructor(
    readonly options: RunOptions,
    readonly keepHistory: boolean,
    startTime: number,
  ) {
    this.now = startTime;
  }

  take(r: StepResult<Snapshot>): void | Promise<void> {
    if (this.keepHistory) {
      if (this.history.length === 0) this.history = r.history;
      else for (const h of r.history) this.history.push(h);
    }
    if (r.commands.length > 0) return this.commands(r.commands);
  }

  async commands(commands: Command[]): Promise<void> {
    for (const cmd of commands) {
      if (cmd.kind === "timer") {
        this.queue.push({
          at: cmd.at,
          seq: this.seq++,
          event: { type: "timerFired", id: cmd.id, at: cmd.at },
        });
      } else if (cmd.kind === "cancelTimer") this.cancelledTimers.add(cmd.id);
      else if (cmd.kind === "task") {
        const answer: TaskAnswer = this.options.invoke
          ? await this.options.invoke(cmd, this.now)
          : {
              error: "Countersign.NoTaskInvoker",
              cause: `No task invoker for resource '${cmd.resource}'`,
            };
        if (answer === null) continue;
        const at = this.now + Math.round((answer.delaySeconds ?? 0) * 1000);
        const event: EngineEvent =
          "error" in answer
            ? { type: "taskFailed", id: cmd.id, error: answer.error, cause: answer.cause, at }
            : { type: "taskSucceeded", id: cmd.id, output: answer.output, at };
        this.queue.push({ at, seq: this.seq++, event });
      }
    }
  }

  /** Removes and returns the earliest scheduled event (ties in scheduling order). */
  next(): Scheduled | undefined {
    const q = this.queue;
    if (q.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < q.length; i++) {
      const a = q[i] as Scheduled;
      const b = q[best] as Scheduled;
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) best = i;
    }
    return q.splice(best, 1)[0];
  }
}

/** Runs `machine` on `input` until the execution ends. */
export async function runInMemory(
  machine: CompiledMachine,
  input: Json,
  options: RunOptions = {},
): Promise<InMemoryResult> {
  const startTime = options.startTime ?? DEFAULT_START;
  const name = options.name ?? "local";
  const smArn = options.stateMachineArn ?? DEFAULT_SM_ARN;
  const execArn =
    options.executionArn ??
    (smArn === DEFAULT_SM_ARN && name === "local"
      ? DEFAULT_EXEC_ARN
      : `${smArn.replace(":stateMachine:", ":execution:")}:${name}`);
  const services = options.services ?? DEFAULT_SERVICES;
  const keepHistory = options.history !== false;
  const run = new VirtualRun(options, keepHistory, startTime);
  let r = await startExecution(
    machine,
    {
      executionArn: execArn,
      stateMachineArn: smArn,
      name,
      input,
      startTime,
      seed: options.seed ?? name,
      recordHistory: keepHistory,
      maxHistoryEvents: options.maxHistoryEvents,
    },
    services,
  );
  const snapshot = r.snapshot;
  const taken = run.take(r);
  if (taken) await taken;
  const maxSteps = options.maxSteps ?? 1_000_000;
  let steps = 0;
  while (r.status === "RUNNING" && steps++ < maxSteps) {
    const next = run.next();
    if (!next) break;
    if (next.event.type === "timerFired" && run.cancelledTimers.has(next.event.id)) continue;
    run.now = Math.max(run.now, next.at);
    r = await advanceExecution(machine, snapshot, { ...next.event, at: run.now }, services);
    await run.take(r);
  }
  if (r.status === "RUNNING") {
    r = await advanceExecution(
      machine,
      snapshot,
      {
        type: "stop",
        error: "Countersign.Stuck",
        cause: "The execution waits for something that never happens.",
        at: run.now,
      },
      services,
    );
    await run.take(r);
  }
  const history = run.history;
  if (r.status === "SUCCEEDED") {
    return { status: "SUCCEEDED", output: r.output as Json, history, endTime: run.now };
  }
  const out: InMemoryResult = { status: r.status as "FAILED", history, endTime: run.now };
  if (r.error !== undefined) out.error = r.error;
  if (r.cause !== undefined) out.cause = r.cause;
  return out;
}
