/**
 * The step function of the engine: `start` and `advance` drive frames (the execution, Parallel
 * branches, Map iterations) through their states until every active frame waits on a task or a
 * timer, or the execution ends. Pure and deterministic: time comes from `startTime`/`event.at`,
 * randomness from the seeded PRNG in the snapshot, task tokens from the injected minting function.
 */
import { StatesError } from "./errors.ts";
import {
  applyAssign,
  applyResultPath,
  checkPayload,
  evaluateAssign,
  jsonataScope,
  type Outcome,
} from "./io.ts";
import type { CompiledMachine, CompiledRetrier } from "./model.ts";
import { seedPrng } from "./prng.ts";
import { redriveExecution } from "./redrive.ts";
import {
  type Ctx,
  emit,
  type Frame,
  historyText,
  nextId,
  random,
  type Snapshot,
} from "./snapshot.ts";
import { cancelFrame, childFinished } from "./states/container.ts";
import { executeState } from "./states/dispatch.ts";
import { onTaskEvent, onTaskTimer } from "./states/task.ts";
import { onWaitTimer } from "./states/wait.ts";
import type {
  EngineEvent,
  EngineServices,
  HistoryEvent,
  Json,
  JsonObject,
  StartParams,
  StepResult,
} from "./types.ts";

/** Without a quota, a loop of pure states would spin forever inside one call; this bounds it. */
const SAFETY_EVENT_LIMIT = 1_000_000;

/** Starts an execution: ExecutionStarted, then runs until it waits or ends. */
export async function startExecution(
  m: CompiledMachine,
  params: StartParams,
  services: EngineServices,
): Promise<StepResult<Snapshot>> {
  const smArn = params.stateMachineArn;
  const smName = smArn.slice(smArn.lastIndexOf(":") + 1);
  const root: Frame = {
    graph: m.root,
    state: m.root.states.get(m.root.startAt) as Frame["state"],
    input: params.input,
    vars: {},
    enteredEventId: 0,
    enteredTime: params.startTime,
    retryCounts: [],
    index: 0,
    silent: false,
    lastContainer: undefined,
    lastMapRun: undefined,
    done: false,
    ownsInput: false,
  };
  const s: Snapshot = {
    exec: {
      arn: params.executionArn,
      stateMachineArn: params.stateMachineArn,
      stateMachineName: smName,
      name: params.name,
      input: params.input,
      startTime: params.startTime,
      roleArn: params.roleArn ?? "",
      redriveCount: params.redriveCount ?? 0,
    },
    rng: seedPrng(params.seed),
    recordHistory: params.recordHistory !== false,
    lastEventId: 0,
    maxHistoryEvents: params.maxHistoryEvents ?? SAFETY_EVENT_LIMIT,
    seq: 0,
    status: "RUNNING",
    root,
    waiters: new Map(),
  };
  const ctx: Ctx = { m, s, services, now: params.startTime, history: [], commands: [] };
  emit(ctx, null, "ExecutionStarted", "executionStartedEventDetails", {
    input: s.recordHistory ? historyText(root, params.input) : "",
    inputDetails: { truncated: false },
    roleArn: s.exec.roleArn,
  });
  armExecutionTimeout(ctx);
  try {
    checkPayload(params.input, "execution input");
    await runFrame(ctx, root);
  } catch (e) {
    failExecution(ctx, e);
  }
  return result(ctx);
}

/** The execution's own TimeoutSeconds, from now (the start, or a redrive: AWS starts it anew). */
export function armExecutionTimeout(ctx: Ctx): void {
  if (ctx.m.timeoutSeconds === undefined) return;
  const id = nextId(ctx, "timer");
  ctx.s.executionTimer = id;
  ctx.s.waiters.set(id, { frame: ctx.s.root, role: "timeout" });
  ctx.commands.push({ kind: "timer", id, at: ctx.now + ctx.m.timeoutSeconds * 1000 });
}

/** Applies one event; stale or unknown ids are ignored, and so is a redrive of a success. */
export async function advanceExecution(
  m: CompiledMachine,
  s: Snapshot,
  event: EngineEvent,
  services: EngineServices,
): Promise<StepResult<Snapshot>> {
  const ctx: Ctx = { m, s, services, now: event.at, history: [], commands: [] };
  if (event.type === "redrive") {
    if (s.status === "RUNNING" || s.status === "SUCCEEDED") return result(ctx);
    try {
      await redriveExecution(ctx, event.fromStart === true);
    } catch (e) {
      failExecution(ctx, e);
    }
    return result(ctx);
  }
  if (s.status !== "RUNNING") return result(ctx);
  try {
    if (event.type === "stop") {
      endExecution(ctx, "ABORTED", undefined, event.error, event.cause);
      return result(ctx);
    }
    const w = s.waiters.get(event.id);
    if (!w || w.frame.done) return result(ctx);
    if (event.id === s.executionTimer) {
      if (event.type === "timerFired") {
        endExecution(ctx, "TIMED_OUT", undefined, "States.Timeout", "The execution has timed out.");
      }
      return result(ctx);
    }
    const frame = w.frame;
    let outcome: Outcome | undefined;
    if (w.role === "task") {
      if (event.type !== "timerFired") outcome = await onTaskEvent(ctx, frame, event);
    } else if (event.type === "timerFired") {
      if (w.role === "timeout" || w.role === "heartbeat")
        outcome = await onTaskTimer(ctx, frame, event.id, w.role);
      else if (w.role === "wait") outcome = await onWaitTimer(ctx, frame, event.id);
      else if (w.role === "retry") {
        s.waiters.delete(event.id);
        frame.pending = undefined;
        outcome = await executeState(ctx, frame);
      }
    }
    if (outcome) await settle(ctx, frame, outcome);
  } catch (e) {
    failExecution(ctx, e);
  }
  return result(ctx);
}

function result(ctx: Ctx): StepResult<Snapshot> {
  const s = ctx.s;
  const max = s.maxHistoryEvents;
  if (s.lastEventId > max || (s.status === "RUNNING" && s.lastEventId === max)) overQuota(ctx);
  const r: StepResult<Snapshot> = {
    snapshot: s,
    history: ctx.history,
    commands: ctx.commands,
    status: s.status,
  };
  if (s.status === "SUCCEEDED") r.output = s.output;
  else if (s.status !== "RUNNING") {
    if (s.error !== undefined) r.error = s.error;
    if (s.cause !== undefined) r.cause = s.cause;
  }
  return r;
}

/**
 * The history quota, as AWS applies it: "When an execution reaches 24,999 events, it waits for
 * the next event to happen. If the event number 25,000 is ExecutionSucceeded, the execution
 * finishes successfully; if not, the ExecutionFailed event is logged" (bp-history-limit.html).
 * A step may have run past the quota (a state emits several events): what it did from event
 * `max` on is dropped, and ExecutionFailed is event `max`.
 */
function overQuota(ctx: Ctx): void {
  const s = ctx.s;
  const max = s.maxHistoryEvents;
  if (s.recordHistory) {
    let keep = ctx.history.length;
    while (keep > 0 && (ctx.history[keep - 1] as HistoryEvent).id >= max) keep--;
    ctx.history.length = keep;
  }
  // The step's other effects (tasks, timers) go with it: the execution ends here.
  ctx.commands = ctx.commands.filter((c) => c.kind !== "task" && c.kind !== "timer");
  s.lastEventId = max - 1;
  s.status = "RUNNING";
  s.output = undefined;
  endExecution(
    ctx,
    "FAILED",
    undefined,
    "States.Runtime",
    `The execution reached the maximum number of history events (${max}).`,
  );
}

function failExecution(ctx: Ctx, e: unknown): void {
  if (ctx.s.status !== "RUNNING") return;
  if (e instanceof StatesError) endExecution(ctx, "FAILED", undefined, e.error, e.causeText);
  else endExecution(ctx, "FAILED", undefined, "States.Runtime", (e as Error)?.message ?? String(e));
}

/** Enters the frame's current state and keeps going until it waits or the frame ends. */
export function runFrame(ctx: Ctx, frame: Frame): void | Promise<void> {
  return settle(ctx, frame, enterState(ctx, frame));
}

function enterState(ctx: Ctx, frame: Frame): Outcome | Promise<Outcome> {
  markEntered(ctx, frame);
  return executeState(ctx, frame);
}

/** Records that the frame enters its current state (its `*StateEntered` event). */
export function markEntered(ctx: Ctx, frame: Frame): void {
  const st = frame.state;
  frame.enteredTime = ctx.now;
  if (frame.retryCounts.length > 0) frame.retryCounts = [];
  if (frame.silent) {
    // A child execution's events are not in this history.
  } else if (!ctx.s.recordHistory) frame.enteredEventId = ++ctx.s.lastEventId;
  else {
    // Built as one literal (not through `emit`): the hottest event, kept monomorphic.
    const id = ++ctx.s.lastEventId;
    ctx.history.push({
      id,
      previousEventId: id - 1,
      timestamp: ctx.now,
      type: st.enteredEvent,
      stateEnteredEventDetails: { name: st.name, input: historyText(frame, frame.input) },
    });
    frame.enteredEventId = id;
  }
}

/**
 * Follows outcomes: transitions, retries, catches, frame ends. Synchronous while the states are
 * (JSONPath states without tasks), so pure runs pay no awaits; continues asynchronously otherwise.
 */
export function settle(
  ctx: Ctx,
  frame: Frame,
  first: Outcome | Promise<Outcome>,
): void | Promise<void> {
  let outcome = first;
  for (;;) {
    if (outcome instanceof Promise) return outcome.then((o) => settle(ctx, frame, o));
    if (ctx.s.status !== "RUNNING" || frame.done) return;
    // Past the history quota nothing more runs; `result` fails the execution.
    if (ctx.s.lastEventId >= ctx.s.maxHistoryEvents) return;
    if (outcome.kind === "wait") return;
    if (outcome.kind === "fail") {
      const failure = outcome;
      if (failure.uncaught) {
        return finishFrame(ctx, frame, undefined, failure.error, failure.cause, true);
      }
      return handleFailure(ctx, frame, failure).then((handled) => {
        if (handled) return settle(ctx, frame, handled);
        // A Task that fails a Parallel branch is recorded as aborted with its branch (corpus:
        // callback SQS_PARALLEL_WAIT_FOR_TASK_TOKEN, error_output PARALLEL_CATCH_ERROR_*).
        if (frame.state.type === "Task" && frame.parent?.kind === "parallel") {
          emit(ctx, frame, "TaskStateAborted");
        }
        return finishFrame(ctx, frame, undefined, failure.error, failure.cause, true);
      });
    }
    const st = frame.state;
    if (st.type !== "Fail" && !frame.silent) {
      const id = ++ctx.s.lastEventId;
      if (ctx.s.recordHistory)
        ctx.history.push({
          id,
          previousEventId: id - 1,
          timestamp: ctx.now,
          type: st.exitedEvent,
          stateExitedEventDetails: { name: st.name, output: historyText(frame, outcome.output) },
        });
    }
    if (outcome.next === undefined) return finishFrame(ctx, frame, outcome.output);
    const next =
      outcome.next === st.next && st.nextState !== undefined
        ? st.nextState
        : frame.graph.states.get(outcome.next);
    if (!next) throw new StatesError("States.Runtime", `No state named '${outcome.next}'`);
    frame.state = next;
    frame.ownsInput = frame.fresh === outcome.output;
    frame.fresh = undefined;
    frame.input = outcome.output;
    outcome = enterState(ctx, frame);
  }
}

/**
 * Whether a Retry/Catch ErrorEquals list matches an error name, per AWS's wildcard rules.
 * States.ALL leaves States.Runtime and States.DataLimitExceeded alone, except a task's own
 * DataLimitExceeded (its result was too large), which AWS's recordings show caught by States.ALL.
 */
export function errorMatches(
  list: string[],
  error: string | null | undefined,
  isTask = true,
  taskFailure = false,
): boolean {
  if (error === undefined || error === null) return list.includes("States.ALL");
  for (const name of list) {
    if (name === error) return true;
    if (
      name === "States.ALL" &&
      error !== "States.Runtime" &&
      (error !== "States.DataLimitExceeded" || taskFailure)
    )
      return true;
    if (name === "States.Timeout" && error === "States.HeartbeatTimeout") return true;
    if (
      name === "States.TaskFailed" &&
      isTask &&
      error !== "States.Timeout" &&
      !error.startsWith("States.")
    )
      return true;
  }
  return false;
}

/** The delay before retry attempt `count` (0-based), in ms, per "Retrying after an error". */
export function retryDelayMs(r: CompiledRetrier, count: number, rand: () => number): number {
  let seconds = r.intervalSeconds * r.backoffRate ** count;
  if (r.maxDelaySeconds !== undefined) seconds = Math.min(seconds, r.maxDelaySeconds);
  if (r.jitter === "FULL") seconds = rand() * seconds;
  return Math.round(seconds * 1000);
}

async function handleFailure(
  ctx: Ctx,
  frame: Frame,
  failure: Extract<Outcome, { kind: "fail" }>,
): Promise<Outcome | undefined> {
  const { error, cause } = failure;
  const taskFailure = failure.task === true;
  const st = frame.state;
  const isTask = st.type === "Task";
  for (let i = 0; i < st.retry.length; i++) {
    const r = st.retry[i] as CompiledRetrier;
    if (!errorMatches(r.errorEquals, error, isTask, taskFailure)) continue;
    const count = frame.retryCounts[i] ?? 0;
    if (count >= r.maxAttempts) break;
    frame.retryCounts[i] = count + 1;
    const id = nextId(ctx, "timer");
    frame.pending = { kind: "retry", timerId: id };
    ctx.s.waiters.set(id, { frame, role: "retry" });
    ctx.commands.push({
      kind: "timer",
      id,
      at: ctx.now + retryDelayMs(r, count, () => random(ctx)),
    });
    return { kind: "wait" };
  }
  if ((st.type === "Map" || st.type === "Parallel") && error !== "States.Runtime") {
    // Retried attempts start again with *StateStarted; only the final failure is recorded.
    emit(ctx, frame, `${st.type}StateFailed`);
  }
  for (const c of st.catch) {
    if (!errorMatches(c.errorEquals, error, isTask, taskFailure)) continue;
    const errorOutput = catchOutputOf(error, cause);
    try {
      let output: Json;
      if (st.ql === "JSONata") {
        const scope = jsonataScope(ctx, frame, frame.input, { errorOutput });
        const assigned = c.assign
          ? ((await c.assign.template.evaluate(scope)) as JsonObject)
          : undefined;
        output = c.output ? await c.output.evaluate(scope) : errorOutput;
        applyAssign(frame, assigned);
      } else {
        const assigned = await evaluateAssign(ctx, frame, c.assign, frame.input, errorOutput);
        output = applyResultPath(frame.input, c.resultPath, errorOutput);
        applyAssign(frame, assigned);
      }
      return { kind: "next", output, next: c.next };
    } catch (e) {
      // The catcher itself failed (its ResultPath does not fit the input, say): the state fails
      // with that error, past its own catchers, which would only fail the same way again.
      if (e instanceof StatesError)
        return { kind: "fail", error: e.error, cause: e.causeText, uncaught: true };
      throw e;
    }
  }
  return undefined;
}

/** A frame ended: the execution ends, or the parent Map/Parallel hears of it. */
function finishFrame(
  ctx: Ctx,
  frame: Frame,
  output?: Json,
  error?: string | null,
  cause?: string | null,
  failed = false,
): void | Promise<void> {
  frame.done = true;
  if (frame.parent) return childFinished(ctx, frame.parent, frame, output, error, cause, failed);
  if (!failed) endExecution(ctx, "SUCCEEDED", output);
  // An execution's error and cause are absent, not null, when its failure named none.
  else endExecution(ctx, "FAILED", undefined, error ?? undefined, cause ?? undefined);
}

function endExecution(
  ctx: Ctx,
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED",
  output?: Json,
  error?: string,
  cause?: string,
): void {
  const s = ctx.s;
  if (s.status !== "RUNNING") return;
  cancelFrame(ctx, s.root);
  if (s.executionTimer && status !== "TIMED_OUT")
    ctx.commands.push({ kind: "cancelTimer", id: s.executionTimer });
  s.waiters.clear();
  s.status = status;
  if (status === "SUCCEEDED") {
    s.output = output as Json;
    emit(ctx, null, "ExecutionSucceeded", "executionSucceededEventDetails", {
      output: historyText(s.root, output as Json),
      outputDetails: { truncated: false },
    });
    return;
  }
  s.error = error;
  s.cause = cause;
  const details: Record<string, unknown> = {};
  if (error !== undefined) details.error = error;
  if (cause !== undefined) details.cause = cause;
  const type =
    status === "FAILED"
      ? "ExecutionFailed"
      : status === "TIMED_OUT"
        ? "ExecutionTimedOut"
        : "ExecutionAborted";
  const key =
    status === "FAILED"
      ? "executionFailedEventDetails"
      : status === "TIMED_OUT"
        ? "executionTimedOutEventDetails"
        : "executionAbortedEventDetails";
  emit(ctx, null, type, key, details);
}

/** What a Catch passes on: `{Error, Cause}`, each only when known. */
/**
 * What a Catch binds: both fields always. An absent one is "" (a timeout has no cause: "Cause":
 * ""), one a task failure left out is null (SendTaskFailure without error or cause), as AWS
 * records them (task corpus: timeouts, callback no_error_field cases).
 */
function catchOutputOf(
  error: string | null | undefined,
  cause: string | null | undefined,
): JsonObject {
  return { Error: error === undefined ? "" : error, Cause: cause === undefined ? "" : cause };
}

export function errorOutputOf(error: string | undefined, cause: string | undefined): JsonObject {
  const out: JsonObject = {};
  if (error !== undefined) out.Error = error;
  if (cause !== undefined) out.Cause = cause;
  return out;
}
