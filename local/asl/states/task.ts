/**
 * The Task state: issues a `task` command (with a task token for `.waitForTaskToken`), arms timers
 * for TimeoutSeconds/HeartbeatSeconds, and completes on taskSucceeded / taskFailed / a timer.
 * History follows AWS: Lambda function ARNs emit LambdaFunction* events, activities Activity*,
 * service integrations TaskScheduled/TaskStarted/TaskSucceeded (TaskFailed, TaskTimedOut).
 */
import { StatesError } from "../errors.ts";
import {
  checkPayload,
  completeState,
  effectiveInput,
  jsonSize,
  type Outcome,
  PAYLOAD_LIMIT_BYTES,
} from "../io.ts";
import { type Ctx, emit, type Frame, nextId, type Pending } from "../snapshot.ts";
import type { Command, EngineEvent, Json } from "../types.ts";
import { onMapRunEvent } from "./distributed/map-run.ts";
import { failureOf } from "./failure.ts";
import { readNumber } from "./numbers.ts";

type TaskPending = Extract<Pending, { kind: "task" }>;

/** Splits a Resource ARN into AWS's resourceType/resource pair for history details. */
export function classifyResource(resource: string): ResourceClass {
  let cls = classes.get(resource);
  if (!cls) {
    cls = classify(resource);
    if (classes.size < 1024) classes.set(resource, cls);
  }
  return cls;
}

interface ResourceClass {
  resourceType: string;
  resourceName: string;
  family: "lambda" | "activity" | "task";
}

/** Resources come from definitions: a few strings, each classified on every task. */
const classes = new Map<string, ResourceClass>();

function classify(resource: string): ResourceClass {
  const parts = resource.split(":");
  if (parts[2] === "lambda" && parts[5] === "function") {
    return { resourceType: "lambda", resourceName: resource, family: "lambda" };
  }
  if (parts[2] === "states" && parts[5] === "activity") {
    return { resourceType: "activity", resourceName: resource, family: "activity" };
  }
  // arn:aws:states:::service:action[.pattern] or arn:aws:states:::aws-sdk:service:action
  const rest = parts.slice(5);
  const resourceName = rest.pop() ?? resource;
  return { resourceType: rest.join(":") || "unknown", resourceName, family: "task" };
}

function region(ctx: Ctx): string {
  return ctx.s.exec.stateMachineArn.split(":")[3] || "us-east-1";
}

const EVENTS = {
  lambda: { prefix: "LambdaFunction", key: "lambdaFunction" },
  activity: { prefix: "Activity", key: "activity" },
  task: { prefix: "Task", key: "task" },
} as const;

function names(p: TaskPending) {
  return EVENTS[p.legacyLambda ? "lambda" : p.resourceType === "activity" ? "activity" : "task"];
}

/** TimeoutSeconds and HeartbeatSeconds are at most 99999999, however they are given. */
const MAX_TASK_SECONDS = 99_999_999;

export async function executeTask(ctx: Ctx, frame: Frame): Promise<Outcome> {
  const st = frame.state;
  const resource = st.resource as string;
  const taskId = nextId(ctx, "task");
  const waitsForToken = resource.includes(".waitForTaskToken");
  const token = waitsForToken ? ctx.services.mintTaskToken(ctx.s.exec.arn, taskId) : undefined;
  const extra = token ? { Task: { Token: token } } : undefined;
  const input = await effectiveInput(ctx, frame, st, extra);
  if (input !== frame.input) checkPayload(input, st.name);
  // (Most tasks set neither: no call, no await.)
  const timeout = st.timeout
    ? await readNumber(ctx, frame, st.timeout, frame.input, 0, "integer")
    : 0;
  const heartbeat = st.heartbeat
    ? await readNumber(ctx, frame, st.heartbeat, frame.input, 0, "integer")
    : 0;
  if (timeout > MAX_TASK_SECONDS || heartbeat > MAX_TASK_SECONDS) {
    // A path or expression chose it at run time; a literal this large is a definition error.
    const [field, value] =
      timeout > MAX_TASK_SECONDS ? ["timeout", timeout] : ["heartbeat", heartbeat];
    throw new StatesError(
      "States.Runtime",
      `The ${field} of state '${st.name}' is ${value} seconds; the maximum is ${MAX_TASK_SECONDS}`,
    );
  }
  const cls = classifyResource(resource);
  const pending: TaskPending = {
    kind: "task",
    taskId,
    resource,
    resourceType: cls.resourceType,
    resourceName: cls.resourceName,
    legacyLambda: cls.family === "lambda",
  };
  const ev = names(pending);
  if (cls.family === "task") {
    const details: Record<string, unknown> = {
      resourceType: cls.resourceType,
      resource: cls.resourceName,
      region: region(ctx),
      parameters: JSON.stringify(input),
    };
    if (timeout > 0) details.timeoutInSeconds = timeout;
    if (heartbeat > 0) details.heartbeatInSeconds = heartbeat;
    emit(ctx, frame, "TaskScheduled", "taskScheduledEventDetails", details);
    emit(ctx, frame, "TaskStarted", "taskStartedEventDetails", {
      resourceType: cls.resourceType,
      resource: cls.resourceName,
    });
  } else {
    const details: Record<string, unknown> = {
      resource,
      input: JSON.stringify(input),
      inputDetails: { truncated: false },
    };
    if (timeout > 0) details.timeoutInSeconds = timeout;
    if (heartbeat > 0) details.heartbeatInSeconds = heartbeat;
    emit(ctx, frame, `${ev.prefix}Scheduled`, `${ev.key}ScheduledEventDetails`, details);
    // An activity starts when a worker takes it (the taskStarted event), a function at once.
    if (cls.family === "lambda") emit(ctx, frame, `${ev.prefix}Started`);
  }
  const cmd: Extract<Command, { kind: "task" }> = {
    kind: "task",
    id: taskId,
    stateName: st.name,
    resource,
    input,
  };
  if (token) cmd.taskToken = token;
  if (timeout > 0) cmd.timeoutSeconds = timeout;
  if (heartbeat > 0) cmd.heartbeatSeconds = heartbeat;
  ctx.commands.push(cmd);
  ctx.s.waiters.set(taskId, { frame, role: "task" });
  if (timeout > 0) {
    pending.timeoutTimer = nextId(ctx, "timer");
    ctx.s.waiters.set(pending.timeoutTimer, { frame, role: "timeout" });
    ctx.commands.push({ kind: "timer", id: pending.timeoutTimer, at: ctx.now + timeout * 1000 });
  }
  if (heartbeat > 0) {
    pending.heartbeatSeconds = heartbeat;
    pending.heartbeatTimer = nextId(ctx, "timer");
    ctx.s.waiters.set(pending.heartbeatTimer, { frame, role: "heartbeat" });
    ctx.commands.push({
      kind: "timer",
      id: pending.heartbeatTimer,
      at: ctx.now + heartbeat * 1000,
    });
  }
  frame.pending = pending;
  return { kind: "wait" };
}

/** Stops waiting for a task: its timers are cancelled and its id forgotten. */
export function releaseTask(ctx: Ctx, p: TaskPending, cancelTask: boolean): void {
  ctx.s.waiters.delete(p.taskId);
  for (const t of [p.timeoutTimer, p.heartbeatTimer]) {
    if (t) {
      ctx.s.waiters.delete(t);
      ctx.commands.push({ kind: "cancelTimer", id: t });
    }
  }
  if (cancelTask) ctx.commands.push({ kind: "cancelTask", id: p.taskId });
}

/** taskSucceeded / taskFailed / taskHeartbeat for the frame's task. */
export async function onTaskEvent(
  ctx: Ctx,
  frame: Frame,
  event: Exclude<EngineEvent, { type: "timerFired" } | { type: "stop" } | { type: "redrive" }>,
): Promise<Outcome | undefined> {
  const p = frame.pending;
  if (p?.kind !== "task" || p.taskId !== event.id) return undefined;
  if (p.mapRun) return onMapRunEvent(ctx, frame, p, event);
  const ev = names(p);
  const base = p.legacyLambda ? {} : { resourceType: p.resourceType, resource: p.resourceName };
  if (event.type === "taskSubmitted") {
    if (!p.legacyLambda && p.resourceType !== "activity") {
      emit(ctx, frame, "TaskSubmitted", "taskSubmittedEventDetails", {
        ...base,
        output: JSON.stringify(event.output),
        outputDetails: { truncated: false },
      });
    }
    return undefined;
  }
  if (event.type === "taskStarted") {
    emit(ctx, frame, `${ev.prefix}Started`, `${ev.key}StartedEventDetails`, {
      ...(event.workerName !== undefined ? { workerName: event.workerName } : {}),
    });
  }
  if (event.type === "taskHeartbeat" || event.type === "taskStarted") {
    if (p.heartbeatTimer && p.heartbeatSeconds) {
      ctx.s.waiters.delete(p.heartbeatTimer);
      ctx.commands.push({ kind: "cancelTimer", id: p.heartbeatTimer });
      p.heartbeatTimer = nextId(ctx, "timer");
      ctx.s.waiters.set(p.heartbeatTimer, { frame, role: "heartbeat" });
      ctx.commands.push({
        kind: "timer",
        id: p.heartbeatTimer,
        at: event.at + p.heartbeatSeconds * 1000,
      });
    }
    return undefined;
  }
  releaseTask(ctx, p, false);
  frame.pending = undefined;
  if (event.type === "taskFailed") {
    return taskFailed(ctx, frame, p, event.error, event.cause);
  }
  const output: Json = event.output;
  // A result over the payload limit fails the task itself (AWS records a TaskFailed naming the
  // resource, which States.ALL catches), before any of the state's own processing.
  if (jsonSize(output) > PAYLOAD_LIMIT_BYTES) {
    const what = p.legacyLambda || p.resourceType === "activity" ? p.resource : p.resourceType;
    return taskFailed(
      ctx,
      frame,
      p,
      "States.DataLimitExceeded",
      `The state/task '${what}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    );
  }
  emit(ctx, frame, `${ev.prefix}Succeeded`, `${ev.key}SucceededEventDetails`, {
    ...base,
    output: JSON.stringify(output),
    outputDetails: { truncated: false },
  });
  try {
    checkPayload(output, frame.state.name);
    return await completeState(ctx, frame, frame.state, output);
  } catch (e) {
    return failureOf(ctx, frame, e);
  }
}

/** The task failed: its Failed event, and a failure Retry and Catch see as the task's own. */
function taskFailed(
  ctx: Ctx,
  frame: Frame,
  p: TaskPending,
  error: string | null,
  cause: string | null | undefined,
): Outcome {
  const ev = names(p);
  const details: Record<string, unknown> = p.legacyLambda
    ? {}
    : { resourceType: p.resourceType, resource: p.resourceName };
  if (typeof error === "string") details.error = error;
  if (typeof cause === "string") details.cause = cause;
  emit(ctx, frame, `${ev.prefix}Failed`, `${ev.key}FailedEventDetails`, details);
  return { kind: "fail", error, cause, task: true };
}

/** TimeoutSeconds or HeartbeatSeconds elapsed before the task answered. */
export async function onTaskTimer(
  ctx: Ctx,
  frame: Frame,
  timerId: string,
  role: "timeout" | "heartbeat",
): Promise<Outcome | undefined> {
  const p = frame.pending;
  if (p?.kind !== "task") return undefined;
  if ((role === "timeout" ? p.timeoutTimer : p.heartbeatTimer) !== timerId) return undefined;
  if (role === "timeout") p.timeoutTimer = undefined;
  else p.heartbeatTimer = undefined;
  ctx.s.waiters.delete(timerId);
  releaseTask(ctx, p, true);
  frame.pending = undefined;
  // A heartbeat timeout is States.Timeout too, as AWS records it (with no cause: a Catch then
  // sees "Cause": "").
  const error = "States.Timeout";
  const ev = names(p);
  const base = p.legacyLambda ? {} : { resourceType: p.resourceType, resource: p.resourceName };
  emit(ctx, frame, `${ev.prefix}TimedOut`, `${ev.key}TimedOutEventDetails`, { ...base, error });
  return { kind: "fail", error };
}
