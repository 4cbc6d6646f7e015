/**
 * The engine's running state (the snapshot) and the per-call context. The snapshot holds object
 * references and compiled states, so it is in-memory only: the durable runtime persists engine
 * events and rebuilds a snapshot by replaying them (`start` then `advance` per event).
 */
import type { CompiledGraph, CompiledMachine, CompiledState } from "./model.ts";
import { nextRandom, nextUuid, type PrngState } from "./prng.ts";
import type {
  Command,
  EngineServices,
  ExecutionStatus,
  HistoryEvent,
  Json,
  JsonObject,
} from "./types.ts";

/** What a branch is waiting for. */
export type Pending =
  | {
      kind: "task";
      taskId: string;
      resource: string;
      resourceType: string;
      resourceName: string;
      legacyLambda: boolean;
      timeoutTimer?: string;
      heartbeatTimer?: string;
      heartbeatSeconds?: number;
      /** A Distributed Map's Map Run, run by the runtime (`states/distributed/`). */
      mapRun?: boolean;
    }
  | { kind: "wait"; timerId: string }
  | { kind: "retry"; timerId: string }
  | { kind: "container"; container: Container };

/** One thread of control: the execution itself, a Parallel branch or a Map iteration. */
export interface Frame {
  graph: CompiledGraph;
  state: CompiledState;
  /** Raw input of the current state. */
  input: Json;
  vars: Record<string, Json>;
  enteredEventId: number;
  enteredTime: number;
  retryCounts: number[];
  parent?: Container;
  /** Position in the parent container. */
  index: number;
  /** Children of a distributed Map run as child executions: their events are not in this history. */
  silent: boolean;
  pending?: Pending;
  /**
   * The Map or Parallel run this frame started in its current state, kept after it ends: a
   * redrive reruns only its unsuccessful children (`redrive.ts`). Cleared when the state runs anew.
   */
  lastContainer: Container | undefined;
  /**
   * The Map Run this frame's Distributed Map state started in its current visit, until it
   * succeeds: a redrive redrives that Map Run (same ARN) instead of starting a new one
   * (`redrive.ts`). Cleared when the state runs anew.
   */
  lastMapRun: LastMapRun | undefined;
  done: boolean;
  /** The last value stringified for this frame's history, and its text: a state's output is the
   * next state's input, and often the same object as its own input, so one stringify serves. */
  textOf?: Json;
  text?: string;
  /** `text` without its closing `}` when `textOf` is an object (kept to extend it cheaply). */
  textOpen?: string;
  /** The output the current state built as a new top-level object (ResultPath's copy). */
  fresh?: Json;
  /** Whether `input` is the previous state's `fresh` output: no one else refers to that object
   * (history keeps its text, not the object), so a state whose result cannot refer to it may
   * write one field into it in place. */
  ownsInput: boolean;
}

/** A Distributed Map's Map Run, and how often it has been redriven. */
export interface LastMapRun {
  state: CompiledState;
  arn: string;
  redrives: number;
}

/** The running part of a Map or Parallel state. */
export interface Container {
  kind: "map" | "parallel";
  owner: Frame;
  state: CompiledState;
  /** Inputs of the children still to start (Map items after ItemSelector, or the branch input). */
  inputs: Json[];
  children: (Frame | undefined)[];
  results: Json[];
  next: number;
  active: number;
  completed: number;
  failures: number;
  maxConcurrency: number;
  toleratedCount: number;
  toleratedPercentage: number;
  pumping: boolean;
  finished: boolean;
  /** Set when the run failed (a child's failure past the tolerated threshold). */
  failure?: { error?: string; cause?: string };
  /** Set when the run was cancelled from outside (its owner stopped, timed out or failed). */
  cancelled: boolean;
  /** What became of each child (`CHILD_*` in `states/container.ts`). */
  childStatus: Uint8Array;
  /** On a redrive: the children to run again, in order (instead of `next` onwards). */
  queue?: number[];
}

export interface Waiter {
  frame: Frame;
  role: "task" | "wait" | "retry" | "timeout" | "heartbeat";
}

export interface Snapshot {
  exec: {
    arn: string;
    stateMachineArn: string;
    stateMachineName: string;
    name: string;
    input: Json;
    startTime: number;
    roleArn: string;
    redriveCount: number;
    /** When the execution was last redriven ($$.Execution.RedriveTime), if ever. */
    redriveTime?: number;
  };
  rng: PrngState;
  /** False when the caller asked for no history events (ids are still counted). */
  recordHistory: boolean;
  lastEventId: number;
  maxHistoryEvents: number;
  seq: number;
  status: ExecutionStatus;
  output?: Json;
  error?: string;
  cause?: string;
  root: Frame;
  waiters: Map<string, Waiter>;
  executionTimer?: string;
}

/** One engine call: what it appends and when it happens. */
export interface Ctx {
  m: CompiledMachine;
  s: Snapshot;
  services: EngineServices;
  now: number;
  history: HistoryEvent[];
  commands: Command[];
}

/** Appends a history event unless the frame's events belong to a child execution. */
export function emit(
  ctx: Ctx,
  frame: Frame | null,
  type: string,
  detailsKey?: string,
  details?: Record<string, unknown>,
): number {
  if (frame?.silent) return ctx.s.lastEventId;
  const id = ++ctx.s.lastEventId;
  if (!ctx.s.recordHistory) return id;
  const ev: HistoryEvent = { id, previousEventId: id - 1, timestamp: ctx.now, type };
  if (detailsKey) ev[detailsKey] = details;
  ctx.history.push(ev);
  return id;
}

/** JSON text of `v` for history details, reusing the frame's last stringification. */
export function historyText(frame: Frame, v: Json): string {
  if (frame.text !== undefined && frame.textOf === v) return frame.text;
  const text = JSON.stringify(v);
  frame.textOf = v;
  frame.text = text;
  frame.textOpen = undefined;
  return text;
}

/** A fresh id for a task or timer, unique in the execution and stable on replay. */
export function nextId(ctx: Ctx, prefix: string): string {
  return `${prefix}-${++ctx.s.seq}`;
}

export function random(ctx: Ctx): number {
  return nextRandom(ctx.s.rng);
}

export function uuid(ctx: Ctx): string {
  return nextUuid(ctx.s.rng);
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** The context object `$$` for a frame's current state. */
export function contextObject(ctx: Ctx, frame: Frame, extra?: JsonObject): JsonObject {
  const e = ctx.s.exec;
  const execution: JsonObject = {
    Id: e.arn,
    Input: e.input,
    Name: e.name,
    RoleArn: e.roleArn,
    StartTime: isoTime(e.startTime),
    RedriveCount: e.redriveCount,
  };
  // Only a redriven execution has it, as on AWS.
  if (e.redriveTime !== undefined) execution.RedriveTime = isoTime(e.redriveTime);
  const c: JsonObject = {
    Execution: execution,
    StateMachine: { Id: e.stateMachineArn, Name: e.stateMachineName },
    State: {
      EnteredTime: isoTime(frame.enteredTime),
      Name: frame.state.name,
      RetryCount: frame.retryCounts.reduce((a, b) => a + b, 0),
    },
  };
  if (extra) Object.assign(c, extra);
  return c;
}
