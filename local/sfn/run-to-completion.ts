/**
 * Runs one execution to its end on the runtime's executor, with an in-memory store and a virtual
 * clock: timers fire in time order with the clock jumping forward (a 24-hour wait takes no time),
 * tasks go to an optional `invoke`. What the conformance corpus, `countersign asl run`, the
 * engine's tests and the in-memory benchmark run on: the same driver as the durable runtime.
 */
import { type CompiledMachine, compile, type EngineSnapshot } from "../asl/index.ts";
import type {
  EngineEvent,
  EngineServices,
  Json,
  RunResult,
  StateMachineType,
  StepResult,
} from "../asl/types.ts";
import { VirtualClock } from "./clock.ts";
import { TaskInvocationError } from "./errors.ts";
import { Executor, type ExecutorOptions } from "./executor/executor.ts";
import type { TaskCommand } from "./executor/live.ts";
import type { TaskOutcome } from "./invokers/index.ts";
import type { ExecutionRow } from "./store/index.ts";
import { MemoryStore } from "./store/memory/memory-store.ts";

export type { TaskCommand } from "./executor/live.ts";

/**
 * What a task invoker answers. `delaySeconds` holds the answer back on the virtual clock; `null`
 * never answers (to exercise TimeoutSeconds).
 */
export type TaskAnswer =
  | { output: Json; delaySeconds?: number }
  | { error: string; cause?: string; delaySeconds?: number }
  | null;

export interface RunOptions {
  /** Runs a task; without one every task fails with `Countersign.NoTaskInvoker`. */
  invoke?: (cmd: TaskCommand, now: number) => Promise<TaskAnswer> | TaskAnswer;
  /** Virtual start time (epoch ms); default 2024-01-01T00:00:00Z. */
  startTime?: number;
  seed?: string;
  name?: string;
  executionArn?: string;
  stateMachineArn?: string;
  roleArn?: string;
  services?: EngineServices;
  /** Keep history events (default true). */
  history?: boolean;
  /** Fails the execution past this many history events (AWS's STANDARD quota is 25,000). */
  maxHistoryEvents?: number;
  /** Stops a run that keeps going (an endless Wait loop) after this many clock events. */
  maxSteps?: number;
}

/** The result of a run, plus the virtual time at which it ended. */
export type RunOutcome = RunResult & { endTime: number };

const DEFAULT_START = Date.UTC(2024, 0, 1);
const DEFAULT_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:local";
const DEFAULT_ARN = "arn:aws:states:us-east-1:123456789012:execution:local:local";
const DEFAULT_SERVICES: EngineServices = {
  mintTaskToken: (arn, id) => Buffer.from(`${arn}#${id}`).toString("base64url"),
};

/**
 * One run's executor settings and callbacks. A class, its callbacks methods: a run creates no
 * closures (tsx makes each named one an `Object.defineProperty`, a run's whole budget here).
 */
class InMemoryRun implements ExecutorOptions {
  readonly store = new MemoryStore();
  readonly clock: VirtualClock;
  readonly services: EngineServices;
  readonly recordHistory: boolean;
  readonly maxHistoryEvents: number | undefined;
  readonly snapshotCacheSize = 1;
  readonly executor: Executor;
  ended: StepResult<EngineSnapshot> | undefined;
  fatal: { error: unknown } | undefined;

  constructor(
    private readonly machine: CompiledMachine,
    private readonly options: RunOptions,
    readonly arn: string,
    startTime: number,
  ) {
    this.clock = new VirtualClock(startTime);
    this.services = options.services ?? DEFAULT_SERVICES;
    this.recordHistory = options.history !== false;
    this.maxHistoryEvents = options.maxHistoryEvents;
    this.executor = new Executor(this);
  }

  /** The run's machine; a Distributed Map's children compile their own definition. */
  compile(definition: string, type: StateMachineType): CompiledMachine {
    return definition === "" ? this.machine : compile(definition, { type });
  }

  onEnd(row: ExecutionRow, result: StepResult<EngineSnapshot>): void {
    if (row.arn === this.arn) this.ended = result;
  }

  onError(error: unknown): void {
    this.fatal ??= { error };
  }

  /** The invoker's answer as a task outcome; a later answer is delivered on the clock. */
  async runTask(_task: unknown, command: TaskCommand): Promise<TaskOutcome> {
    let a: TaskAnswer;
    try {
      a = this.options.invoke
        ? await this.options.invoke(command, this.clock.now())
        : {
            error: "Countersign.NoTaskInvoker",
            cause: `No task invoker for resource '${command.resource}'`,
          };
    } catch (error) {
      this.onError(error);
      return { kind: "waiting" };
    }
    if (a === null) return { kind: "waiting" };
    const delay = Math.round((a.delaySeconds ?? 0) * 1000);
    if (delay === 0) {
      if ("error" in a) throw new TaskInvocationError(a.error, a.cause as string);
      return { kind: "succeeded", output: a.output };
    }
    const at = this.clock.now() + delay;
    const event: EngineEvent =
      "error" in a
        ? { type: "taskFailed", id: command.id, error: a.error, cause: a.cause, at }
        : { type: "taskSucceeded", id: command.id, output: a.output, at };
    this.clock.schedule(at, () => this.executor.deliver(this.arn, event));
    return { kind: "waiting" };
  }
}

/** Runs `machine` on `input` until the execution ends (or is stopped as stuck). */
export async function runToCompletion(
  machine: CompiledMachine,
  input: Json,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const startTime = options.startTime ?? DEFAULT_START;
  const name = options.name ?? "local";
  const machineArn = options.stateMachineArn ?? DEFAULT_MACHINE_ARN;
  const arn =
    options.executionArn ??
    (machineArn === DEFAULT_MACHINE_ARN && name === "local"
      ? DEFAULT_ARN
      : `${machineArn.replace(":stateMachine:", ":execution:")}:${name}`);
  const run = new InMemoryRun(machine, options, arn, startTime);
  const { executor, clock } = run;
  const { row } = await executor.startExecution({
    params: {
      executionArn: arn,
      stateMachineArn: machineArn,
      name,
      input,
      startTime,
      seed: options.seed ?? name,
      roleArn: options.roleArn,
    },
    definition: "",
    type: machine.type,
    roleArn: options.roleArn ?? "",
    fresh: true,
  });
  if (!run.ended) {
    const unsettle = clock.onSettle(() => executor.idle());
    try {
      const maxSteps = options.maxSteps ?? 1_000_000;
      for (let steps = 0; !run.ended && !run.fatal && steps < maxSteps; steps++) {
        if (!(await clock.runNext())) break;
      }
      if (!run.ended && !run.fatal) {
        await executor.deliver(arn, {
          type: "stop",
          error: "Countersign.Stuck",
          cause: "The execution waits for something that never happens.",
          at: clock.now(),
        });
      }
    } finally {
      unsettle();
      await executor.close(0);
    }
  }
  if (run.fatal) throw run.fatal.error;
  const ended = run.ended as StepResult<EngineSnapshot>;
  const history = run.store.steps.history(row.id);
  const endTime = clock.now();
  if (ended.status === "SUCCEEDED") {
    return { status: "SUCCEEDED", output: ended.output as Json, history, endTime };
  }
  const out: RunOutcome = { status: ended.status as "FAILED", history, endTime };
  if (ended.error !== undefined) out.error = ended.error;
  if (ended.cause !== undefined) out.cause = ended.cause;
  return out;
}
