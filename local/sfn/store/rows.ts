/**
 * The records the runtime keeps, as plain objects: what the store interface takes and returns,
 * whichever store (SQLite or memory) is behind it.
 */
import type { ExecutionStatus, StateMachineType } from "../../asl/types.ts";

export interface StateMachineRow {
  arn: string;
  name: string;
  type: StateMachineType;
  definition: string;
  role_arn: string;
  description: string | null;
  created_ms: number;
  updated_ms: number | null;
  revision: number;
  revision_id: string;
}

/** A published version: a snapshot of its state machine's definition and role at a revision. */
export interface VersionRow {
  arn: string;
  machine_arn: string;
  version: number;
  definition: string;
  role_arn: string;
  description: string | null;
  created_ms: number;
  revision_id: string;
}

/**
 * An execution: what started it (its definition text, input and seed: replaying `start` and the
 * recorded engine events rebuilds it) and how it stands. Rows are replaced, never mutated, once
 * the store holds them: callers keep references.
 */
export interface ExecutionRow {
  /** Assigned by the store on insert; step records, timers and waits refer to it. */
  id: number;
  arn: string;
  name: string;
  machine_arn: string;
  machine_type: StateMachineType;
  definition: string;
  role_arn: string;
  input: string;
  status: ExecutionStatus;
  output: string | null;
  error: string | null;
  cause: string | null;
  start_ms: number;
  stop_ms: number | null;
  seed: string;
  version_arn: string | null;
  /**
   * 1 while a task of the execution may be mid-invocation (commanded, not finished, not yet
   * waiting for its token or child): a restart re-invokes those, and finds them by this flag.
   */
  invoking: 0 | 1;
}

/** A timer the engine commanded that has neither fired nor been cancelled. */
export interface TimerRow {
  exec_id: number;
  /** The execution's ARN (joined in, for the caller that fires it). */
  arn: string;
  timer_id: string;
  fire_at: number;
}

/** Where a scan of timers in firing order stopped (the last row it returned). */
export interface TimerCursor {
  fire_at: number;
  exec_id: number;
  timer_id: string;
}

/**
 * A task past its invocation, waiting for its task token or for a child execution (`.sync`).
 * Nothing else about tasks is stored: the engine events say which tasks are open.
 */
export interface WaitRow {
  exec_id: number;
  task_id: string;
  /** The task's resource for a child wait (how its outcome reads); empty for a token. */
  resource: string;
  /** The child execution of a `.sync` task; null for a task token. */
  child_arn: string | null;
}

/** A wait row with its execution's ARN (joined in, for the caller that delivers to it). */
export interface WaitingTask extends WaitRow {
  arn: string;
}

/** What ListExecutions filters on and how far it pages. */
export interface ExecutionFilter {
  /** A state machine ARN, or a version ARN (matches the executions started from it). */
  machineArn?: string;
  status?: ExecutionStatus;
  offset: number;
  limit: number;
}

/**
 * What an execution has locally and AWS has no field for (`local-settings.ts`): how far its clock
 * was moved forward (time travel) and which test case of a mock config it runs (mocks). Only
 * executions with one of them have a row.
 */
export interface LocalSettingsRow {
  exec_id: number;
  /** Added to the runtime's clock for this execution (ms, never negative). */
  clock_offset_ms: number;
  /** `StateMachines.<machine>.TestCases.<this>` of the runtime's mock config; null: no mocks. */
  mock_test_case: string | null;
}

/** An alias: a name that routes starts to one or two versions by weight. */
export interface AliasRow {
  arn: string;
  machine_arn: string;
  name: string;
  description: string | null;
  /** AWS's `routingConfiguration` (`[{stateMachineVersionArn, weight}]`) as JSON text. */
  routing: string;
  created_ms: number;
  updated_ms: number;
}

/** What an execution has beyond its row, for the few that have it: an alias, redrives. */
export interface ExecutionExtras {
  exec_id: number;
  /** The alias it was started through. */
  alias_arn: string | null;
  redrive_count: number;
  /** When it was last redriven. */
  redrive_ms: number | null;
}
