/**
 * Drives executions through the pure engine: the only code that calls `start` and `advance`, for
 * the durable runtime and for in-memory runs alike. The engine decides, this does:
 *
 * - every step's records (its engine event, the history it produced, the timers it armed or
 *   cancelled, the execution row when what it shows changed) are committed before any effect:
 *   timers are armed, tasks invoked and callers answered only after (`group-commit.ts`);
 * - events for one execution are applied one at a time (a lock per execution), and only while
 *   the engine still awaits them (`isAwaiting`): a late timer or a second completion is a no-op;
 * - execution rows are written only here, so a write-through LRU answers the reads; a live
 *   execution (snapshot) is only a cache, rebuilt by replay (`live.ts`): waiting executions cost
 *   disk, not memory;
 * - tasks are invoked in the background and their outcome fed back as events (`task-runs.ts`);
 * - `resume()` after a restart re-arms timers from the store's index (`timer-queue.ts`), invokes
 *   again the tasks that were mid-invocation (handlers are idempotent), and lets the rest wait.
 */
import {
  advance,
  type CompiledMachine,
  type EngineSnapshot,
  isAwaiting,
  start,
} from "../../asl/index.ts";
import type {
  Command,
  EngineEvent,
  EngineServices,
  HistoryEvent,
  StartParams,
  StateMachineType,
  StepResult,
} from "../../asl/types.ts";
import type { Clock } from "../clock.ts";
import { ThrottlingException } from "../errors.ts";
import type { TaskOutcome, TaskToRun } from "../invokers/index.ts";
import { LocalSettings } from "../local-settings.ts";
import { Lru } from "../lru.ts";
import type { ExecutionRow, Store } from "../store/index.ts";
import { compileCached } from "./compile-cache.ts";
import { GroupCommit } from "./group-commit.ts";
import {
  type EngineSettings,
  type HistoryQuota,
  type Live,
  paramsOf,
  quotaFor,
  replay,
  type TaskCommand,
} from "./live.ts";
import { appliesTo, hasTimer, invokingAfter, newRow, rowAfter } from "./step-results.ts";
import { TaskRuns } from "./task-runs.ts";
import { TimerQueue } from "./timer-queue.ts";
import { Work } from "./work.ts";

export interface ExecutorOptions {
  store: Store;
  clock: Clock;
  services: EngineServices;
  /** Runs a task command (its resource, input, token...): the outcome becomes an engine event. */
  runTask(task: TaskToRun, command: TaskCommand): Promise<TaskOutcome>;
  /** How many live executions (snapshots) stay in memory (LRU). */
  snapshotCacheSize?: number;
  /** Reports errors that have no caller to go to (a failed background step). */
  onError?: (error: unknown) => void;
  /** Compiles a definition text (default: cached, for the runtime's task resources). */
  compile?: (definition: string, type: StateMachineType) => CompiledMachine;
  /** Build and store history events (default true). */
  recordHistory?: boolean;
  /** The engine's history quota, or one per machine type (default: its 1,000,000-event guard). */
  maxHistoryEvents?: HistoryQuota;
  /** Timers held in memory at most; the later ones wait in the store's index. */
  timerWindow?: number;
  /** Called once an execution has ended, with the step that ended it. */
  onEnd?: (row: ExecutionRow, result: StepResult<EngineSnapshot>) => void;
}

/** What a new execution needs besides its engine params. */
export interface NewExecution {
  params: StartParams;
  definition: string;
  type: StateMachineType;
  roleArn: string;
  /** The input as the caller sent it; by default the text the engine wrote in ExecutionStarted. */
  inputText?: string;
  versionArn?: string;
  /** The alias the start went through (kept in the store's execution extras). */
  aliasArn?: string;
  /** The ARN was generated for this start (a random name): no execution can have it yet. */
  fresh?: boolean;
  /** The mock config test case it runs (`<stateMachineArn>#<testCase>`), kept with its row. */
  mockTestCase?: string;
}

type Step = StepResult<EngineSnapshot>;

export class Executor {
  readonly store: Store;
  readonly clock: Clock;
  readonly engine: EngineSettings;
  readonly work = new Work();
  readonly commits: GroupCommit;
  /** Local-only settings: per-execution clock offsets (time travel) and mock test cases. */
  readonly settings: LocalSettings;
  /** Tasks mid-invocation, by execution (few: bounded by the work in flight). */
  readonly invoking = new Map<string, Set<string>>();
  private readonly rows: Lru<string, ExecutionRow>;
  private readonly live: Lru<string, Live>;
  private readonly finishWaiters = new Map<string, Array<(row: ExecutionRow) => void>>();
  // Made on first use: a one-off in-memory run of pure states needs none of them.
  private timerQueue: TimerQueue | undefined;
  private taskRuns: TaskRuns | undefined;
  /** Executions whose history an earlier layout did not store, being rebuilt. */
  private rebuilding: Set<string> | undefined;
  private closed = false;

  constructor(private readonly o: ExecutorOptions) {
    this.store = o.store;
    this.clock = o.clock;
    this.engine = {
      services: o.services,
      recordHistory: o.recordHistory !== false,
      maxHistoryEvents: o.maxHistoryEvents,
    };
    const cacheSize = o.snapshotCacheSize ?? 128;
    this.live = new Lru(cacheSize);
    this.rows = new Lru(Math.max(256, cacheSize));
    this.commits = new GroupCommit(o.store);
    this.settings = new LocalSettings(o.store);
  }

  /** The timers armed on the clock (a window of them, `timer-queue.ts`). */
  get timers(): TimerQueue {
    this.timerQueue ??= new TimerQueue(
      this.store.timers,
      this.clock,
      (arn, id) => this.deliverInBackground(arn, { type: "timerFired", id, at: this.clock.now() }),
      this.o.timerWindow,
    );
    return this.timerQueue;
  }

  private get tasks(): TaskRuns {
    this.taskRuns ??= new TaskRuns(this);
    return this.taskRuns;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Compiles (cached by type and definition text); throws the engine's DefinitionError. */
  compile(definition: string, type: StateMachineType): CompiledMachine {
    return this.o.compile ? this.o.compile(definition, type) : compileCached(definition, type);
  }

  /**
   * Starts an execution unless one with this ARN exists; returns the stored row and whether it
   * was created now.
   */
  startExecution(x: NewExecution): Promise<{ row: ExecutionRow; created: boolean }> {
    const arn = x.params.executionArn;
    // Nothing can address a fresh ARN before its start returns it: no lock, no lookup.
    if (x.fresh) return this.work.track(this.create(x));
    return this.work.locked(arn, async () => {
      const existing = this.execution(arn);
      if (existing) return { row: existing, created: false };
      return this.create(x);
    });
  }

  /**
   * Feeds one event to a running execution. Resolves false, changing nothing, when the execution
   * is not running or no longer awaits the event's task or timer.
   */
  deliver(arn: string, event: EngineEvent): Promise<boolean> {
    return this.work.locked(arn, () => this.step(arn, event));
  }

  /** `deliver` for work nobody awaits: its failure goes to `onError`. */
  deliverInBackground(arn: string, event: EngineEvent): Promise<unknown> {
    return this.work.track(this.deliver(arn, event).catch((error) => this.reportError(error)));
  }

  /** Resolves with the execution's row once it is no longer RUNNING. */
  whenFinished(arn: string): Promise<ExecutionRow> {
    const row = this.execution(arn);
    if (row && row.status !== "RUNNING") return Promise.resolve(row);
    return new Promise((resolve) => {
      const list = this.finishWaiters.get(arn);
      if (list) list.push(resolve);
      else this.finishWaiters.set(arn, [resolve]);
    });
  }

  /** After a (re)start: timers, histories to rebuild, invocations to repeat, children to check. */
  resume(): void {
    this.timers.start();
    for (const row of this.store.historiesToRebuild()) this.rebuildHistory(row);
    this.tasks.resume();
  }

  /** Waits until no step, task invocation or delivery is in flight. */
  idle(): Promise<void> {
    return this.work.idle();
  }

  /**
   * Stops arming timers and starting work, and waits up to `graceMs` for in-flight work. Work still
   * running after that (a hanging handler) is dropped, exactly as in a crash: its task is invoked
   * again by the next runtime on the same data directory.
   */
  async close(graceMs = 5000): Promise<void> {
    this.closed = true;
    this.timerQueue?.stop();
    if (!this.work.busy) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.idle(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  /** Up to `limit` history events after id `from` ascending, or before it descending. */
  history(row: ExecutionRow, from: number, limit: number, reverse: boolean): HistoryEvent[] {
    if (this.rebuilding?.has(row.arn)) {
      throw new ThrottlingException(
        "The history of this execution, written by an earlier version, is being rebuilt: retry",
      );
    }
    return this.store.steps.historyPage(row.id, from, limit, reverse);
  }

  /** An execution's row (from the write-through cache, else the store); undefined when unknown. */
  execution(arn: string): ExecutionRow | undefined {
    const hit = this.rows.get(arn);
    if (hit) return hit;
    const row = this.store.executions.get(arn);
    if (row) this.rows.set(arn, row);
    return row;
  }

  /** The live execution: from the LRU, or rebuilt by replay (`tasks` collects its commands). */
  async load(row: ExecutionRow, tasks?: Map<string, TaskCommand>): Promise<Live> {
    const hit = tasks ? undefined : this.live.get(row.arn);
    if (hit) return hit;
    const machine = this.compile(row.definition, row.machine_type);
    return replay(row, machine, this.store, this.engine, tasks);
  }

  /** A live execution already in memory, if any (no replay). */
  cachedLive(arn: string): Live | undefined {
    return this.live.peek(arn);
  }

  /** Keeps a live execution and a row the caller has just committed. */
  remember(row: ExecutionRow, live?: Live): void {
    this.rows.set(row.arn, row);
    if (live) this.live.set(row.arn, live);
  }

  /** Runs a task command through the configured invoker. */
  runTask(task: TaskToRun, command: TaskCommand): Promise<TaskOutcome> {
    return this.o.runTask(task, command);
  }

  reportError(error: unknown): void {
    this.o.onError?.(error);
  }

  // --- internals -----------------------------------------------------------------------------

  private async create(x: NewExecution): Promise<{ row: ExecutionRow; created: boolean }> {
    const arn = x.params.executionArn;
    const machine = this.compile(x.definition, x.type);
    const params =
      this.engine.recordHistory && this.engine.maxHistoryEvents === undefined
        ? x.params
        : {
            ...x.params,
            recordHistory: this.engine.recordHistory,
            maxHistoryEvents: quotaFor(this.engine, x.type),
          };
    const result = await start(machine, params, this.o.services);
    const ended = result.status !== "RUNNING";
    const invoking = ended ? undefined : invokingAfter(undefined, undefined, result.commands);
    const row = newRow(x, params, result, invoking && invoking.size > 0 ? 1 : 0);
    const commands = result.commands;
    let next = 0;
    const mocks = x.mockTestCase
      ? { exec_id: 0, clock_offset_ms: 0, mock_test_case: x.mockTestCase }
      : undefined;
    await this.commits.write(() => {
      next = this.store.executions.insert(row, result.history);
      if (x.aliasArn) this.store.extras.setAlias(row.id, x.aliasArn);
      this.writeTimers(row.id, commands);
      if (mocks) this.settings.write({ ...mocks, exec_id: row.id });
    });
    if (mocks) this.settings.remember({ ...mocks, exec_id: row.id });
    this.rows.set(arn, row);
    if (invoking?.size) this.invoking.set(arn, invoking);
    const live = ended
      ? undefined
      : {
          machine,
          snapshot: result.snapshot,
          next,
          timersArmed: hasTimer(commands),
          waits: new Set<string>(),
        };
    this.afterCommit(row, live, result, undefined);
    return { row, created: true };
  }

  /** One event, under the execution's lock. */
  private async step(arn: string, delivered: EngineEvent): Promise<boolean> {
    if (this.closed) return false;
    const row = this.execution(arn);
    if (!row || !appliesTo(row, delivered)) return false;
    // An execution moved forward in time (time-travel.ts) sees every event at its own clock.
    const offset = this.settings.offset(row.id);
    const event = offset === 0 ? delivered : { ...delivered, at: delivered.at + offset };
    const live = await this.load(row);
    if (event.type !== "stop" && event.type !== "redrive" && !isAwaiting(live.snapshot, event.id))
      return false;
    let result: Step;
    try {
      result = await advance(live.machine, live.snapshot, event, this.o.services);
    } catch (error) {
      this.live.delete(arn); // the snapshot may be half-mutated: replay next time
      throw error;
    }
    const ended = result.status !== "RUNNING";
    const commands = result.commands;
    const invoking = ended ? undefined : invokingAfter(this.invoking.get(arn), event, commands);
    const next = rowAfter(row, event, result, invoking && invoking.size > 0 ? 1 : 0);
    // Wait rows this step ends: the awaited task finished, or was cancelled (a `.sync` child
    // then stops too, as on AWS).
    const doneWaits: string[] = [];
    if ((event.type === "taskSucceeded" || event.type === "taskFailed") && live.waits.has(event.id))
      doneWaits.push(event.id);
    for (const c of commands) {
      if (c.kind === "cancelTask" && live.waits.has(c.id)) doneWaits.push(c.id);
    }
    const children = this.tasks.childrenOf(row, commands, live);
    const timersArmed = live.timersArmed || hasTimer(commands);
    let records = live.next;
    try {
      await this.commits.write(() => {
        records = this.store.steps.append(row.id, live.next, event, result.history);
        if (event.type === "timerFired") this.store.timers.remove(row.id, event.id);
        this.writeTimers(row.id, commands, offset);
        for (const id of doneWaits) this.store.waits.remove(row.id, id);
        if (ended) {
          if (timersArmed) this.store.timers.removeAll(row.id);
          if (live.waits.size > 0) this.store.waits.removeAll(row.id);
        }
        if (next !== row) this.store.executions.update(next);
        if (event.type === "redrive") this.store.extras.redriven(row.id, event.at);
      });
    } catch (error) {
      // The snapshot is ahead of the records now: rebuild both from the store next time.
      this.live.delete(arn);
      this.rows.delete(arn);
      throw error;
    }
    live.next = records;
    live.timersArmed = timersArmed;
    for (const id of doneWaits) live.waits.delete(id);
    if (invoking?.size) this.invoking.set(arn, invoking);
    else this.invoking.delete(arn);
    this.rows.set(arn, next);
    this.afterCommit(next, ended ? undefined : live, result, children, offset);
    return true;
  }

  /**
   * The step's timer commands as rows (inside its transaction). The engine's times are the
   * execution's; the rows and the clock hold the runtime's (`offset`: time travel).
   */
  private writeTimers(execId: number, commands: Command[], offset = 0): void {
    for (const c of commands) {
      if (c.kind === "timer") this.store.timers.arm(execId, c.id, c.at - offset);
      else if (c.kind === "cancelTimer") this.store.timers.remove(execId, c.id);
    }
  }

  /** After the commit: keep or drop the live execution, then do what the engine asked. */
  private afterCommit(
    row: ExecutionRow,
    live: Live | undefined,
    result: Step,
    children: string[] | undefined,
    offset = 0,
  ): void {
    const arn = row.arn;
    if (live) this.live.set(arn, live);
    else this.live.delete(arn);
    for (const c of result.commands) {
      if (c.kind === "timer") this.timers.armed(arn, row.id, c.id, c.at - offset);
      else if (c.kind === "cancelTimer") this.timers.removed(arn, c.id);
      else if (c.kind === "task" && this.invoking.get(arn)?.has(c.id)) this.tasks.launch(arn, c);
    }
    if (children) for (const child of children) this.tasks.stopChild(child);
    if (result.status !== "RUNNING") this.finished(row, result);
  }

  private finished(row: ExecutionRow, result: Step): void {
    const arn = row.arn;
    this.timerQueue?.removedAll(arn);
    this.invoking.delete(arn);
    const waiters = this.finishWaiters.get(arn);
    if (waiters) {
      this.finishWaiters.delete(arn);
      for (const resolve of waiters) resolve(row);
    }
    this.o.onEnd?.(row, result);
    this.taskRuns?.childEnded(row);
  }

  /** Stores, once, the history an earlier layout rebuilt by replay on every read. */
  private rebuildHistory(row: ExecutionRow): void {
    this.rebuilding ??= new Set();
    this.rebuilding.add(row.arn);
    const settings = { ...this.engine, recordHistory: true };
    const work = (async () => {
      const machine = this.compile(row.definition, row.machine_type);
      const result = await start(machine, paramsOf(row, settings), this.o.services);
      await this.commits.write(() => {
        this.store.steps.append(row.id, 0, undefined, result.history);
        this.store.historyRebuilt(row.id);
      });
    })()
      .catch((error: unknown) => this.reportError(error))
      .finally(() => this.rebuilding?.delete(row.arn));
    this.work.track(work);
  }
}
