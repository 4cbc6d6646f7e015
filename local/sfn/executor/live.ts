/**
 * A running execution in memory ("live"): its compiled machine, the engine's snapshot and what the
 * executor tracks beside it. A live execution is only a cache: it is rebuilt from the store by
 * replaying `start` and the recorded engine events (the engine is deterministic), so a waiting
 * execution can leave memory and come back when an event arrives for it.
 */
import {
  advance,
  type CompiledMachine,
  type EngineServices,
  type EngineSnapshot,
  start,
} from "../../asl/index.ts";
import type { Command, Json, StartParams, StateMachineType } from "../../asl/types.ts";
import type { ExecutionRow, Store } from "../store/index.ts";

export type TaskCommand = Extract<Command, { kind: "task" }>;

export interface Live {
  machine: CompiledMachine;
  snapshot: EngineSnapshot;
  /** Number of the execution's next step record. */
  next: number;
  /** Whether the execution ever commanded a timer (its end then deletes leftover rows). */
  timersArmed: boolean;
  /** Tasks with a wait row (past their invocation, waiting for a token or a child). */
  waits: Set<string>;
}

/** How the executor runs the engine, the same for every start and replay. */
export interface EngineSettings {
  services: EngineServices;
  /** False: no history events are built or stored (ids are still counted). */
  recordHistory: boolean;
  /** The history quota, or one per machine type (undefined: the engine's own guard). */
  maxHistoryEvents: HistoryQuota | undefined;
}

export type HistoryQuota = number | ((type: StateMachineType) => number | undefined);

/** The history quota of an execution of a machine of this type. */
export function quotaFor(engine: EngineSettings, type: StateMachineType): number | undefined {
  const q = engine.maxHistoryEvents;
  return typeof q === "function" ? q(type) : q;
}

/** What `start` was given for the execution in `row`. */
export function paramsOf(row: ExecutionRow, engine: EngineSettings): StartParams {
  return {
    executionArn: row.arn,
    stateMachineArn: row.machine_arn,
    name: row.name,
    input: JSON.parse(row.input) as Json,
    startTime: row.start_ms,
    seed: row.seed,
    roleArn: row.role_arn,
    recordHistory: engine.recordHistory,
    maxHistoryEvents: quotaFor(engine, row.machine_type),
  };
}

/**
 * Rebuilds an execution from its records. With `tasks`, collects the task commands it issued
 * (after a restart: those still awaited were possibly mid-invocation).
 */
export async function replay(
  row: ExecutionRow,
  machine: CompiledMachine,
  store: Store,
  engine: EngineSettings,
  tasks?: Map<string, TaskCommand>,
): Promise<Live> {
  const services = engine.services;
  const { events, next } = store.steps.events(row.id);
  let timersArmed = false;
  const seen = (commands: Command[]) => {
    for (const c of commands) {
      if (c.kind === "timer") timersArmed = true;
      else if (c.kind === "task") tasks?.set(c.id, c);
    }
  };
  const started = await start(machine, paramsOf(row, engine), services);
  seen(started.commands);
  let snapshot = started.snapshot;
  for (const event of events) {
    const step = await advance(machine, snapshot, event, services);
    seen(step.commands);
    snapshot = step.snapshot;
  }
  const waits = new Set(store.waits.of(row.id).map((w) => w.task_id));
  return { machine, snapshot, next, timersArmed, waits };
}
