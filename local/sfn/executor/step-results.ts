/**
 * What the executor derives from a step without doing anything: the execution row a start
 * creates, the row after a step (the same object when nothing it shows changed; a redrive makes
 * an ended row RUNNING again), and which tasks are mid-invocation. Pure functions of the engine's
 * step result.
 */
import type { EngineSnapshot } from "../../asl/index.ts";
import type { Command, EngineEvent, StartParams, StepResult } from "../../asl/types.ts";
import type { ExecutionRow } from "../store/index.ts";
import type { NewExecution } from "./executor.ts";

type Step = StepResult<EngineSnapshot>;

/** The row of an execution as its first step left it (RUNNING, or already ended). */
export function newRow(
  x: NewExecution,
  params: StartParams,
  result: Step,
  invoking: 0 | 1,
): ExecutionRow {
  const ended = result.status !== "RUNNING";
  // Every field spelled out, in one order: rows of one shape keep property access fast.
  return {
    id: 0,
    arn: params.executionArn,
    name: params.name,
    machine_arn: params.stateMachineArn,
    machine_type: x.type,
    definition: x.definition,
    role_arn: x.roleArn,
    input: x.inputText ?? inputText(result, params),
    status: result.status,
    output: result.status === "SUCCEEDED" ? outputText(result) : null,
    error: ended ? (result.error ?? null) : null,
    cause: ended ? (result.cause ?? null) : null,
    start_ms: params.startTime,
    stop_ms: ended ? stopTime(result, params.startTime) : null,
    seed: params.seed,
    version_arn: x.versionArn ?? null,
    invoking,
  };
}

/**
 * The row after a step: the same object while what it shows is unchanged (most steps then write
 * no row at all), else a new one with the end's status and result, or the new `invoking` flag.
 */
export function rowAfter(
  row: ExecutionRow,
  event: EngineEvent,
  result: Step,
  invoking: 0 | 1,
): ExecutionRow {
  const ended = result.status !== "RUNNING";
  if (!ended && invoking === row.invoking && row.status === "RUNNING") return row;
  return {
    id: row.id,
    arn: row.arn,
    name: row.name,
    machine_arn: row.machine_arn,
    machine_type: row.machine_type,
    definition: row.definition,
    role_arn: row.role_arn,
    input: row.input,
    status: result.status,
    output: result.status === "SUCCEEDED" ? outputText(result) : null,
    error: ended ? (result.error ?? null) : null,
    cause: ended ? (result.cause ?? null) : null,
    start_ms: row.start_ms,
    stop_ms: ended ? stopTime(result, event.at) : null,
    seed: row.seed,
    version_arn: row.version_arn,
    invoking: ended ? 0 : invoking,
  };
}

/**
 * Whether an event can apply to the execution as its row stands: a redrive to one that ended
 * unsuccessfully, anything else to a running one.
 */
export function appliesTo(row: ExecutionRow, event: EngineEvent): boolean {
  if (event.type === "redrive") return row.status !== "RUNNING" && row.status !== "SUCCEEDED";
  return row.status === "RUNNING";
}

/** Whether commands arm a timer. */
export function hasTimer(commands: Command[]): boolean {
  for (const c of commands) if (c.kind === "timer") return true;
  return false;
}

/**
 * The execution's tasks mid-invocation after a step: new task commands join, a completion or a
 * cancellation leaves. Copy on write: the set in use changes only once the step is committed.
 */
export function invokingAfter(
  current: Set<string> | undefined,
  event: EngineEvent | undefined,
  commands: Command[],
): Set<string> | undefined {
  let out = current;
  if (
    event &&
    (event.type === "taskSucceeded" || event.type === "taskFailed") &&
    out?.has(event.id)
  ) {
    out = new Set(out);
    out.delete(event.id);
  }
  for (const c of commands) {
    if (c.kind === "task") {
      if (out === current) out = new Set(current);
      (out as Set<string>).add(c.id);
    } else if (c.kind === "cancelTask" && out?.has(c.id)) {
      if (out === current) out = new Set(current);
      out.delete(c.id);
    }
  }
  return out;
}

/**
 * A succeeded step's output as JSON text: the text its ExecutionSucceeded event already holds (the
 * engine stringified it for the history), else stringified here.
 */
function outputText(result: Step): string {
  const last = result.history[result.history.length - 1];
  const details =
    last?.type === "ExecutionSucceeded" ? last.executionSucceededEventDetails : undefined;
  const text = (details as { output?: unknown } | undefined)?.output;
  return typeof text === "string" ? text : JSON.stringify(result.output ?? null);
}

/** The execution's input as JSON text: ExecutionStarted's (the engine stringified it), else here. */
function inputText(result: Step, params: StartParams): string {
  const first = result.history[0];
  const details =
    first?.type === "ExecutionStarted" ? first.executionStartedEventDetails : undefined;
  const text = (details as { input?: unknown } | undefined)?.input;
  return typeof text === "string" && text !== "" ? text : JSON.stringify(params.input);
}

/** When an execution ended: its last history event's time, else the event's. */
function stopTime(result: Step, at: number): number {
  const last = result.history[result.history.length - 1];
  return last?.timestamp ?? at;
}
