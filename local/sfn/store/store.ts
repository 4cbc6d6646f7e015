/**
 * The store behind the runtime, by concern: state machines (with their versions and aliases),
 * executions (with their extras: alias, redrives), step records (engine events and AWS history),
 * timers and task waits. Two implementations keep the same contract
 * (`contract.test.ts`): SQLite (`sqlite/`, durable, in a data directory or in memory) and plain
 * JavaScript maps (`memory/`, for tests, `asl run` and the conformance corpus).
 *
 * Writes that belong together run in `transaction`; the executor commits the steps of one event
 * loop turn in one transaction (group commit) and undoes a failing step alone with `savepoint`.
 */
import type { EngineEvent, HistoryEvent } from "../../asl/types.ts";
import type {
  AliasRow,
  ExecutionExtras,
  ExecutionFilter,
  ExecutionRow,
  LocalSettingsRow,
  StateMachineRow,
  TimerCursor,
  TimerRow,
  VersionRow,
  WaitingTask,
  WaitRow,
} from "./rows.ts";

export interface MachineStore {
  get(arn: string): StateMachineRow | undefined;
  insert(row: StateMachineRow): void;
  update(row: StateMachineRow): void;
  delete(arn: string): void;
  /** Every state machine, by ARN. */
  list(): StateMachineRow[];
}

/** Published versions of state machines. */
export interface VersionStore {
  insert(row: VersionRow): void;
  get(arn: string): VersionRow | undefined;
  /** A state machine's versions, newest first. */
  list(machineArn: string): VersionRow[];
  delete(arn: string): void;
  /**
   * The number the machine's next version gets: one more than any it ever had (a deleted
   * version's number is not given again, as on AWS). Counts it as taken.
   */
  takeNumber(machineArn: string): number;
  /** Deletes a state machine's versions and forgets their numbers. */
  deleteAll(machineArn: string): void;
}

/** Aliases of state machines. */
export interface AliasStore {
  /** Inserts, or replaces the alias with the same ARN. */
  put(row: AliasRow): void;
  get(arn: string): AliasRow | undefined;
  /** A state machine's aliases, oldest first. */
  list(machineArn: string): AliasRow[];
  delete(arn: string): void;
  deleteAll(machineArn: string): void;
}

/** The alias an execution was started through, and its redrives (most executions have neither). */
export interface ExecutionExtrasStore {
  get(execId: number): ExecutionExtras | undefined;
  setAlias(execId: number, aliasArn: string): void;
  /** Counts a redrive at `at`. */
  redriven(execId: number, at: number): void;
}

export interface ExecutionStore {
  get(arn: string): ExecutionRow | undefined;
  /**
   * Inserts a new row with its start record (the history its first step produced; no engine
   * event), sets its `id` and returns the execution's next free record number.
   */
  insert(row: ExecutionRow, start: HistoryEvent[]): number;
  /** Writes the mutable fields (status, result, stop time, `invoking`) of a stored row. */
  update(row: ExecutionRow): void;
  /** Newest first (start time, then insertion). */
  list(filter: ExecutionFilter): ExecutionRow[];
  /** Rows with `invoking = 1` (after a restart: tasks to invoke again). */
  invoking(): ExecutionRow[];
}

/**
 * Most history events in one step record: a step with more (a large Map) continues in the records
 * after it, so a page of history never reads a huge step whole.
 */
export const HISTORY_CHUNK = 256;

/** How many record numbers a step with `events` history events takes. */
export function recordsFor(events: number): number {
  return events <= HISTORY_CHUNK ? 1 : Math.ceil(events / HISTORY_CHUNK);
}

/** What a step record holds of the engine: the event it was fed (none for the start). */
export type StepEvent = EngineEvent | undefined;

/** An execution's step records: what was fed to the engine, and the history each step produced. */
export interface StepStore {
  /**
   * Appends the record number `n` (0 for the start; a step's history longer than a record holds
   * takes the numbers after it) and returns the next free number.
   */
  append(execId: number, n: number, event: StepEvent, history: HistoryEvent[]): number;
  /** The engine events of an execution in order, and the next free record number. */
  events(execId: number): { events: EngineEvent[]; next: number };
  /** Up to `limit` history events after id `from` ascending, or before it descending. */
  historyPage(execId: number, from: number, limit: number, reverse: boolean): HistoryEvent[];
}

export interface TimerStore {
  arm(execId: number, timerId: string, fireAt: number): void;
  /** False when there was no such timer. */
  remove(execId: number, timerId: string): boolean;
  removeAll(execId: number): void;
  /**
   * Up to `limit` timers in firing order (fire time, execution, timer id) after `cursor`, or from
   * the first when it is undefined: the runtime keeps only a window of them armed in memory.
   */
  after(cursor: TimerCursor | undefined, limit: number): TimerRow[];
  /** The execution's pending timers, in firing order (time travel moves them). */
  of(execId: number): TimerRow[];
}

export interface WaitStore {
  add(row: WaitRow): void;
  remove(execId: number, taskId: string): void;
  removeAll(execId: number): void;
  of(execId: number): WaitRow[];
  /** Tasks waiting on this child execution. */
  onChild(childArn: string): WaitingTask[];
  /** Every task waiting on a child (after a restart: children may have ended meanwhile). */
  withChildren(): WaitingTask[];
}

/** Local-only settings of executions (time travel, mock test case); see `LocalSettingsRow`. */
export interface LocalSettingsStore {
  /** Every row (few: only executions that were advanced or run a mock test case). */
  all(): LocalSettingsRow[];
  /** Inserts or replaces the execution's row. */
  put(row: LocalSettingsRow): void;
}

export interface Store {
  readonly machines: MachineStore;
  readonly versions: VersionStore;
  readonly aliases: AliasStore;
  readonly executions: ExecutionStore;
  readonly extras: ExecutionExtrasStore;
  readonly steps: StepStore;
  readonly timers: TimerStore;
  readonly waits: WaitStore;
  readonly localSettings: LocalSettingsStore;
  /**
   * Whether a commit has a fixed cost worth sharing (SQLite: the executor then gathers the steps
   * of an event loop turn into one transaction); false when writes cost only their own work.
   */
  readonly groupCommit: boolean;
  readonly isOpen: boolean;
  /** Runs `fn` all or nothing; inside another transaction it joins that one. */
  transaction<T>(fn: () => T): T;
  /** Inside a transaction: if `fn` throws, only its own writes are undone. */
  savepoint(fn: () => void): void;
  /** A value kept with the data (the task token secret), created on first use. */
  meta(key: string, create: () => string): string;
  /**
   * Executions written by an earlier layout without their history (it was rebuilt on demand by
   * replaying their start): the runtime rebuilds it once and stores it with `steps.append`.
   */
  historiesToRebuild(): ExecutionRow[];
  historyRebuilt(execId: number): void;
  /** Closes the store once its background work (a backup being written) has stopped. */
  close(): Promise<void>;
}
