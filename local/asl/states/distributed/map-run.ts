/**
 * The Distributed Map state in the engine: evaluates the state's configuration into a Map Run plan
 * (`plan.ts`), records MapStateStarted and MapRunStarted, and waits for the runtime to run the Map
 * Run; then MapRunSucceeded and the state's result, or MapRunFailed and the failure (Retry and
 * Catch apply as to any state). The items themselves, the child executions and the results never
 * pass through the engine: as on AWS, they are not in the parent's history.
 */
import { createHash } from "node:crypto";
import { StatesError } from "../../errors.ts";
import { completeState, jsonataScope, type Outcome, pathScope } from "../../io.ts";
import {
  type Ctx,
  contextObject,
  emit,
  type Frame,
  type LastMapRun,
  nextId,
  type Pending,
} from "../../snapshot.ts";
import type { EngineEvent, Json, JsonObject } from "../../types.ts";
import { failureOf } from "../failure.ts";
import { mapInput, toleratedFailures } from "../map-input.ts";
import { readNumber, readNumberSource } from "../numbers.ts";
import { MAP_RUN_RESOURCE, type MapRunPlan } from "./plan.ts";
import type { CompiledArgs, DistributedSpec } from "./spec.ts";

type TaskPending = Extract<Pending, { kind: "task" }>;

/** AWS's hard limit of redrives of one Map Run; past it the state fails with States.Runtime. */
const MAX_MAP_RUN_REDRIVES = 1000;
/** "A new Map Run is started and the existing Map Run isn't redriven" when it failed with these. */
const NEW_MAP_RUN_AFTER = new Set(["States.DataLimitExceeded", "States.Runtime"]);

/** A UUID-shaped id derived from `seed` (stable on replay, unlike a random one). */
export function stableUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function evalArgs(ctx: Ctx, frame: Frame, args: CompiledArgs, input: Json): Promise<Json> {
  if (!args) return {};
  if (args.kind === "template") return args.template.evaluate(pathScope(ctx, frame, input));
  return args.template.evaluate(jsonataScope(ctx, frame, frame.input));
}

function asObject(v: Json, field: string): JsonObject {
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new StatesError(
      "States.Runtime",
      `The ${field} must be a JSON object, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

/**
 * Starts the state's Map Run or, on a redrive of the execution (`redrive`: the Map Run this visit
 * started, which did not succeed), redrives that Map Run: same ARN, MapRunRedriven instead of
 * MapRunStarted, and the runtime reruns only its children that did not succeed ("Redriving Map
 * Runs" in AWS's guide).
 */
export async function executeDistributedMap(
  ctx: Ctx,
  frame: Frame,
  redrive?: LastMapRun,
): Promise<Outcome> {
  const st = frame.state;
  const spec = st.distributedSpec as DistributedSpec;
  // With an ItemReader the items come from S3; AWS then ignores ItemsPath (recorded).
  const { input, items } = await mapInput(ctx, frame, spec.reader !== undefined);
  const maxConcurrency = await readNumber(ctx, frame, st.maxConcurrency, input, 0, "integer");
  emit(ctx, frame, "MapStateStarted", "mapStateStartedEventDetails", {
    length: Array.isArray(items) ? items.length : 0,
  });
  const { toleratedCount, toleratedPercentage } = await toleratedFailures(ctx, frame, input);
  const e = ctx.s.exec;
  const [, , , region, account] = e.stateMachineArn.split(":");
  const seed = `${e.arn}\n${st.name}\n${frame.enteredEventId}`;
  const label = spec.label ?? stableUuid(`${seed}\nlabel`);
  const runId = stableUuid(`${seed}\nrun`);
  const childMachine = `${e.stateMachineName}/${label}`;
  const mapRunArn =
    redrive?.arn ?? `arn:aws:states:${region}:${account}:mapRun:${childMachine}:${runId}`;
  const redrives = redrive ? redrive.redrives + 1 : 0;
  if (redrives > MAX_MAP_RUN_REDRIVES) {
    throw new StatesError(
      "States.Runtime",
      `The Map Run '${mapRunArn}' was already redriven ${MAX_MAP_RUN_REDRIVES} times, the most a Map Run can be`,
    );
  }
  const kind = spec.executionType === "EXPRESS" ? "express" : "execution";
  const plan: MapRunPlan = {
    mapRunArn,
    executionArn: e.arn,
    stateName: st.name,
    childMachineArn: `arn:aws:states:${region}:${account}:stateMachine:${childMachine}`,
    childArnPrefix: `arn:aws:states:${region}:${account}:${kind}:${childMachine}:`,
    executionType: spec.executionType,
    processor: spec.processorDefinition,
    roleArn: e.roleArn,
    maxConcurrency,
    toleratedFailureCount: toleratedCount,
    toleratedFailurePercentage: toleratedPercentage,
  };
  if (redrives > 0) plan.redriveCount = redrives;
  if (Array.isArray(items)) plan.items = items;
  if (spec.reader) {
    const r = spec.reader;
    plan.reader = {
      resource: r.resource,
      parameters: asObject(await evalArgs(ctx, frame, r.args, input), "ItemReader parameters"),
      config: asObject(
        await r.config.evaluate(jsonataScope(ctx, frame, frame.input)),
        "ReaderConfig",
      ),
    };
    if (r.maxItems) {
      const v = await readNumberSource(ctx, frame, r.maxItems, input);
      if (v !== undefined) plan.reader.maxItems = v;
    }
  }
  if (spec.batcher) {
    const b = spec.batcher;
    plan.batcher = {};
    if (b.maxItems) {
      plan.batcher.maxItemsPerBatch = await readNumber(ctx, frame, b.maxItems, input, 0, "integer");
    }
    if (b.maxBytes) {
      plan.batcher.maxInputBytesPerBatch = await readNumber(
        ctx,
        frame,
        b.maxBytes,
        input,
        0,
        "integer",
      );
    }
    if (b.batchInput) plan.batcher.batchInput = await evalArgs(ctx, frame, b.batchInput, input);
  }
  if (spec.selector !== undefined) {
    plan.selector = {
      ql: st.ql,
      template: spec.selector,
      input: st.ql === "JSONata" ? frame.input : input,
      context: contextObject(ctx, frame),
      vars: frame.vars,
    };
  }
  if (spec.writer) {
    const w = spec.writer;
    plan.writer = {
      resource: w.resource,
      parameters: w.resource
        ? asObject(await evalArgs(ctx, frame, w.args, input), "ResultWriter parameters")
        : {},
    };
    if (w.config) {
      plan.writer.config = asObject(
        await w.config.evaluate(jsonataScope(ctx, frame, frame.input)),
        "WriterConfig",
      );
    }
  }
  if (redrives > 0) {
    emit(ctx, frame, "MapRunRedriven", "mapRunRedrivenEventDetails", {
      mapRunArn,
      redriveCount: redrives,
    });
  } else emit(ctx, frame, "MapRunStarted", "mapRunStartedEventDetails", { mapRunArn });
  frame.lastMapRun = { state: st, arn: mapRunArn, redrives };
  const taskId = nextId(ctx, "task");
  const pending: TaskPending = {
    kind: "task",
    taskId,
    resource: MAP_RUN_RESOURCE,
    resourceType: "mapRun",
    resourceName: mapRunArn,
    legacyLambda: false,
    mapRun: true,
  };
  ctx.commands.push({
    kind: "task",
    id: taskId,
    stateName: st.name,
    resource: MAP_RUN_RESOURCE,
    input: plan as unknown as Json,
  });
  ctx.s.waiters.set(taskId, { frame, role: "task" });
  frame.pending = pending;
  return { kind: "wait" };
}

/** The runtime's answer for the Map Run: the state's result, or its failure. */
export async function onMapRunEvent(
  ctx: Ctx,
  frame: Frame,
  p: TaskPending,
  event: Exclude<EngineEvent, { type: "timerFired" } | { type: "stop" } | { type: "redrive" }>,
): Promise<Outcome | undefined> {
  // A Map Run is not an activity or a callback: nothing is started or submitted on the way.
  if (
    event.type === "taskHeartbeat" ||
    event.type === "taskStarted" ||
    event.type === "taskSubmitted"
  )
    return undefined;
  ctx.s.waiters.delete(p.taskId);
  frame.pending = undefined;
  if (event.type === "taskFailed") {
    // AWS starts a new Map Run, rather than redrive this one, after these two errors.
    if (NEW_MAP_RUN_AFTER.has(event.error ?? "")) frame.lastMapRun = undefined;
    const details: Record<string, unknown> = { error: event.error };
    if (event.cause !== undefined) details.cause = event.cause;
    emit(ctx, frame, "MapRunFailed", "mapRunFailedEventDetails", details);
    return { kind: "fail", error: event.error, cause: event.cause };
  }
  frame.lastMapRun = undefined; // a Map Run that succeeded is not redriven
  emit(ctx, frame, "MapRunSucceeded");
  emit(ctx, frame, "MapStateSucceeded");
  try {
    return await completeState(ctx, frame, frame.state, event.output);
  } catch (e) {
    return failureOf(ctx, frame, e);
  }
}
