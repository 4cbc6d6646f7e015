/**
 * Runs one execution to its end on the runtime's executor, with an in-memory store and a virtual
 * clock: timers fire in time order with the clock jumping forward (a 24-hour wait takes no time),
 * tasks go to an optional `invoke`. What the conformance corpus, `countersign asl run`, the
 * engine's tests and the in-memory benchmark run on: the same driver as the durable runtime.
 */
import type { CompiledMachine } from "../asl/index.ts";
import type { EngineEvent, EngineServices, HistoryEvent, Json, RunResult } from "../asl/types.ts";
import { VirtualClock } from "./clock.ts";
import { TaskInvocationError } from "./errors.ts";
import { Executor } from "./executor/executor.ts";
import type { TaskCommand } from "./executor/live.ts";
import type { TaskOutcome } from "./invokers/index.ts";
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
const DEFAULT_SERVICES: EngineServices = {
  mintTaskToken: (arn, id) => Buffer.from(`${arn}#${id}`).toString("base64url"),
};

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
    options.executionArn ?? `${machineArn.replace(":stateMachine:", ":execution:")}:${name}`;
  const clock = new VirtualClock(startTime);
  const store = new MemoryStore();
  let ended: { status: RunResult["status"]; output: Json | undefined } | undefined;
  let fatal: { error: unknown } | undefined;
  const executor = new Executor({
    store,
    clock,
    services: options.services ?? DEFAULT_SERVICES,
    recordHistory: options.history !== false,
    maxHistoryEvents: options.maxHistoryEvents,
    compile: () => machine,
    snapshotCacheSize: 1,
    runTask: (_task, command) => answer(command),
    onEnd: (_row, result) => {
      ended = { status: result.status as RunResult["status"], output: result.output };
    },
    onError: (error) => {
      fatal ??= { error };
    },
  });
  const unsettle = clock.onSettle(() => executor.idle());

  /** The invoker's answer as a task outcome; a later answer is delivered on the clock. */
  async function answer(command: TaskCommand): Promise<TaskOutcome> {
    let a: TaskAnswer;
    try {
      a = options.invoke
        ? await options.invoke(command, clock.now())
        : {
            error: "Countersign.NoTaskInvoker",
            cause: `No task invoker for resource '${command.resource}'`,
          };
    } catch (error) {
      fatal ??= { error };
      return { kind: "waiting" };
    }
    if (a === null) return { kind: "waiting" };
    const delay = Math.round((a.delaySeconds ?? 0) * 1000);
    if (delay === 0) {
      if ("error" in a) throw new TaskInvocationError(a.error, a.cause as string);
      return { kind: "succeeded", output: a.output };
    }
    const at = clock.now() + delay;
    const event: EngineEvent =
      "error" in a
        ? { type: "taskFailed", id: command.id, error: a.error, cause: a.cause, at }
        : { type: "taskSucceeded", id: command.id, output: a.output, at };
    clock.schedule(at, () => executor.deliver(arn, event));
    return { kind: "waiting" };
  }

  try {
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
      inputText: JSON.stringify(input),
      fresh: true,
    });
    const maxSteps = options.maxSteps ?? 1_000_000;
    for (let steps = 0; !ended && !fatal && steps < maxSteps; steps++) {
      if (!(await clock.runNext())) break;
    }
    if (!ended && !fatal) {
      await executor.deliver(arn, {
        type: "stop",
        error: "Countersign.Stuck",
        cause: "The execution waits for something that never happens.",
        at: clock.now(),
      });
    }
    if (fatal) throw fatal.error;
    const history: HistoryEvent[] = store.steps.history(row.id);
    const done = store.executions.get(arn) ?? row;
    const endTime = clock.now();
    if (ended?.status === "SUCCEEDED") {
      return { status: "SUCCEEDED", output: ended.output as Json, history, endTime };
    }
    const out: RunOutcome = {
      status: (ended?.status ?? done.status) as "FAILED" | "TIMED_OUT" | "ABORTED",
      history,
      endTime,
    };
    if (done.error !== null) out.error = done.error;
    if (done.cause !== null) out.cause = done.cause;
    return out;
  } finally {
    unsettle();
    await executor.close(0);
  }
}
