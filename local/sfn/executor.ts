/**
 * Drives executions through the pure engine, durably. The engine decides, this does:
 *
 * - every step is persisted before any effect: the engine event, the history it produced and the
 *   timers/tasks it commanded go into SQLite in one transaction, then timers are armed and tasks run;
 * - an execution that ends in its first step, commanding nothing, is one journal record: its row,
 *   without history (rebuilt by replaying `start` when asked for, `HistoryReplayer`); a turn made
 *   only of such steps commits with one append to the store's journal instead of a transaction;
 * - group commit: the steps of every execution that advanced in one event-loop turn share that
 *   transaction (each in its own savepoint), and their callers resume only after it commits;
 * - events for one execution are applied one at a time (a per-execution lock);
 * - execution rows are written only here, so a small write-through LRU of them answers the reads
 *   (every step, every DescribeExecution) without SQLite;
 * - a snapshot lives only in a small LRU; anything else is rebuilt by replaying the recorded engine
 *   events through `start` + `advance` (the engine is deterministic), so waiting executions cost
 *   disk, not memory;
 * - `resume()` after a restart re-arms pending timers at their original times and re-invokes tasks
 *   that were running when the process died (handlers are idempotent); tasks waiting on a token
 *   simply keep waiting.
 */
import {
  advance,
  type CompiledMachine,
  compile,
  type EngineSnapshot,
  start,
} from "../asl/index.ts";
import type {
  Command,
  EngineEvent,
  EngineServices,
  HistoryEvent,
  Json,
  StartParams,
  StateMachineType,
  StepResult,
} from "../asl/types.ts";
import type { Cancel, Clock } from "./clock.ts";
import { TaskInvocationError } from "./errors.ts";
import { childOutcome, type TaskOutcome, type TaskToRun } from "./invokers/index.ts";
import { resolveResource } from "./invokers/resources.ts";
import type { HistoryReplayer } from "./replay.ts";
import type { ExecutionRow, Store, TaskRow } from "./store.ts";

interface Live {
  machine: CompiledMachine;
  snapshot: EngineSnapshot;
}

/** A step's writes waiting for the turn's group commit. */
interface PendingWrite {
  row: ExecutionRow;
  fn: () => void;
  /** Its only write is a finished row: it can go to the journal. */
  journal: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface ExecutorOptions {
  store: Store;
  clock: Clock;
  services: EngineServices;
  runTask(task: TaskToRun): Promise<TaskOutcome>;
  /** How many execution snapshots stay in memory (LRU). */
  snapshotCacheSize?: number;
  /** Reports errors that have no caller to go to (a failed background step). */
  onError?: (error: unknown) => void;
  /** Rebuilds the histories that are not stored (`history_replay`); required to read them. */
  replayer?: HistoryReplayer;
}

/** What a new execution needs besides its engine params. */
export interface NewExecution {
  params: StartParams;
  definition: string;
  type: StateMachineType;
  roleArn: string;
  inputText: string;
  versionArn?: string;
  /** The ARN was generated for this start (a random name): no execution can have it yet. */
  fresh?: boolean;
}

const resolved = Promise.resolve();

/**
 * A succeeded step's output as JSON text: the text its ExecutionSucceeded event already holds (the
 * engine stringified it for the history), else stringified here.
 */
function outputText(result: StepResult<EngineSnapshot>): string {
  const last = result.history[result.history.length - 1];
  const details =
    last?.type === "ExecutionSucceeded" ? last.executionSucceededEventDetails : undefined;
  const text = (details as { output?: unknown } | undefined)?.output;
  return typeof text === "string" ? text : JSON.stringify(result.output ?? null);
}

/** Builds `isKnownResource` for a machine type: Express cannot wait for tokens or children. */
export function knownResourceFor(type: StateMachineType) {
  return (resource: string): boolean => {
    const r = resolveResource(resource);
    if (!r) return false;
    return type === "STANDARD" || r.pattern === "request";
  };
}

/**
 * Compiled machines by type and definition text, shared by every runtime in the process: compiled
 * machines are immutable, and compiling (schema validation included) is the slow part of a start.
 */
const compiled = {
  STANDARD: new Map<string, CompiledMachine>(),
  EXPRESS: new Map<string, CompiledMachine>(),
};

export class Executor {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly cache = new Map<string, Live>();
  /** The last history rebuilt by replay (GetExecutionHistory pages through one at a time). */
  private replayed: { arn: string; history: HistoryEvent[] } | undefined;
  /** Write-through LRU of execution rows; rows are replaced, never mutated (callers keep them). */
  private readonly rows = new Map<string, ExecutionRow>();
  private readonly rowCacheSize: number;
  /** Steps computed in this event-loop turn, committed together by `flush`. */
  private batch: PendingWrite[] = [];
  /**
   * Children with a `.sync` parent task recorded (from `resume` and `launchTask`): only their end
   * needs the parent lookup, so other executions end without that query.
   */
  private readonly awaitedChildren = new Set<string>();
  private flushScheduled = false;
  private readonly flushNow = () => this.flush();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly timers = new Map<string, Map<string, Cancel>>();
  private readonly finishWaiters = new Map<string, Array<(row: ExecutionRow) => void>>();
  private readonly cacheSize: number;
  private closed = false;

  constructor(private readonly o: ExecutorOptions) {
    this.store = o.store;
    this.clock = o.clock;
    this.cacheSize = o.snapshotCacheSize ?? 128;
    this.rowCacheSize = Math.max(256, this.cacheSize);
  }

  /** Compiles (cached by type and definition text); throws the engine's DefinitionError. */
  compile(definition: string, type: StateMachineType): CompiledMachine {
    // Keyed by the text itself (not a concatenation): V8 caches a string's hash, so looking up
    // the same definition string again is O(1).
    const byText = compiled[type];
    let machine = byText.get(definition);
    if (machine) {
      if (byText.size > 1) {
        byText.delete(definition);
        byText.set(definition, machine);
      }
      return machine;
    }
    machine = compile(JSON.parse(definition), { type, isKnownResource: knownResourceFor(type) });
    if (byText.size >= 64) byText.delete(byText.keys().next().value as string);
    byText.set(definition, machine);
    return machine;
  }

  /**
   * Starts an execution unless one with this ARN exists; returns the stored row and whether it
   * was created now.
   */
  startExecution(x: NewExecution): Promise<{ row: ExecutionRow; created: boolean }> {
    const arn = x.params.executionArn;
    // Nothing can address a fresh ARN before its start returns it: no lock, no lookup.
    if (x.fresh) return this.track(this.create(x));
    return this.locked(arn, async () => {
      const existing = this.execution(arn);
      if (existing) return { row: existing, created: false };
      return this.create(x);
    });
  }

  private async create(x: NewExecution): Promise<{ row: ExecutionRow; created: boolean }> {
    const arn = x.params.executionArn;
    const machine = this.compile(x.definition, x.type);
    const result = await start(machine, x.params, this.o.services);
    const blank: ExecutionRow = {
      arn,
      name: x.params.name,
      machine_arn: x.params.stateMachineArn,
      machine_type: x.type,
      definition: x.definition,
      role_arn: x.roleArn,
      input: x.inputText,
      status: "RUNNING",
      output: null,
      error: null,
      cause: null,
      start_ms: x.params.startTime,
      stop_ms: null,
      seed: x.params.seed,
      next_seq: 0,
      history_count: 0,
      version_arn: x.versionArn ?? null,
      history_replay: 0,
    };
    const row = this.after(blank, undefined, result);
    // Ended at once, commanding nothing: `start` alone rebuilds its history, so store none.
    const oneStep = row.status !== "RUNNING" && result.commands.length === 0;
    // (Not kept in memory: rows stay cached, and thousands of retained histories cost more in
    // garbage collection than replaying the few that are read.)
    if (oneStep) row.history_replay = 1;
    // One INSERT of the row as the step left it (finished, for a start that ran to its end).
    await this.write(
      row,
      () => {
        this.store.insertExecution(row);
        this.commit(row, undefined, result, true);
      },
      oneStep,
    );
    this.afterCommit(arn, { machine, snapshot: result.snapshot }, result);
    return { row, created: true };
  }

  /**
   * Feeds one event to a RUNNING execution. `still` is checked under the lock (e.g. "the timer is
   * still pending"); `mark` runs inside the step's transaction. Returns false when the event was
   * not applied because the execution ended or `still` said no.
   */
  deliver(
    arn: string,
    event: EngineEvent,
    still: () => boolean = () => true,
    mark: () => void = () => {},
  ): Promise<boolean> {
    return this.locked(arn, async () => {
      if (this.closed) return false;
      const row = this.execution(arn);
      if (row?.status !== "RUNNING" || !still()) return false;
      const live = await this.load(row);
      let result: StepResult<EngineSnapshot>;
      try {
        result = await advance(live.machine, live.snapshot, event, this.o.services);
      } catch (error) {
        this.cache.delete(arn); // the snapshot may be half-mutated; replay next time
        throw error;
      }
      const next = this.after(row, event, result);
      await this.write(
        next,
        () => {
          mark();
          this.store.updateExecution(next);
          this.commit(row, event, result, false);
        },
        false,
      );
      this.afterCommit(arn, { machine: live.machine, snapshot: result.snapshot }, result);
      return true;
    });
  }

  /** Resolves with the execution's row once it is no longer RUNNING. */
  whenFinished(arn: string): Promise<ExecutionRow> {
    const row = this.execution(arn);
    if (row && row.status !== "RUNNING") return Promise.resolve(row);
    return new Promise((resolve) => {
      const list = this.finishWaiters.get(arn) ?? [];
      list.push(resolve);
      this.finishWaiters.set(arn, list);
    });
  }

  /** After a (re)start: re-arm pending timers, re-invoke tasks that were mid-invocation. */
  resume(): void {
    for (const t of this.store.pendingTimers())
      this.armTimer(t.execution_arn, t.timer_id, t.fire_at);
    for (const task of this.store.runningTasks()) this.launchTask(task);
    // A child may have ended after the parent's process died, before its result was delivered.
    for (const task of this.store.tasksWithChildren()) {
      this.awaitedChildren.add(task.child_arn as string);
      const child = this.execution(task.child_arn as string);
      if (task.status === "waiting" && child && child.status !== "RUNNING")
        this.deliverChild(task, child);
    }
  }

  /** Waits until no step, task invocation or delivery is in flight. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) {
      await Promise.allSettled([...this.inflight]);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Stops arming timers and starting work, and waits up to `graceMs` for in-flight work. Work still
   * running after that (a hanging handler) is dropped, exactly as in a crash: its task is invoked
   * again by the next runtime on the same data directory.
   */
  async close(graceMs = 5000): Promise<void> {
    this.closed = true;
    for (const byId of this.timers.values()) for (const cancel of byId.values()) cancel();
    this.timers.clear();
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

  /**
   * Up to `limit` history events after id `from` ascending, or before it descending: stored, or
   * rebuilt by replaying `start` for a one-step execution (the same events, ids and timestamps).
   */
  history(row: ExecutionRow, from: number, limit: number, reverse: boolean): HistoryEvent[] {
    if (!row.history_replay) return this.store.historyPage(row.arn, from, limit, reverse);
    let all = this.replayed?.arn === row.arn ? this.replayed.history : undefined;
    if (!all) {
      if (!this.o.replayer) throw new Error("this executor has no replayer to rebuild histories");
      all = this.o.replayer.replay({
        definition: row.definition,
        type: row.machine_type,
        params: this.paramsOf(row),
        inputText: row.input,
      });
      this.replayed = { arn: row.arn, history: all }; // paging through it needs one replay
    }
    const out: HistoryEvent[] = [];
    if (reverse) {
      for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
        const e = all[i] as HistoryEvent;
        if (e.id < from) out.push(e);
      }
    } else {
      for (let i = 0; i < all.length && out.length < limit; i++) {
        const e = all[i] as HistoryEvent;
        if (e.id > from) out.push(e);
      }
    }
    return out;
  }

  get cachedSnapshots(): number {
    return this.cache.size;
  }

  /** An execution's row (from the write-through cache, else SQLite); undefined when unknown. */
  execution(arn: string): ExecutionRow | undefined {
    const hit = this.rows.get(arn);
    if (hit) return hit;
    const row = this.store.getExecution(arn);
    if (row) this.remember(row);
    return row;
  }

  // --- internals -----------------------------------------------------------------------------

  private locked<T>(arn: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(arn) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(arn, tail);
    void tail.then(() => {
      if (this.locks.get(arn) === tail) this.locks.delete(arn);
    });
    return this.track(run);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    p.then(
      () => this.inflight.delete(p),
      () => this.inflight.delete(p),
    );
    return p;
  }

  /** The live snapshot: from the LRU, or rebuilt by replaying the recorded engine events. */
  private async load(row: ExecutionRow): Promise<Live> {
    const hit = this.cache.get(row.arn);
    if (hit) {
      this.cache.delete(row.arn);
      this.cache.set(row.arn, hit);
      return hit;
    }
    const machine = this.compile(row.definition, row.machine_type);
    const params: StartParams = { ...this.paramsOf(row), input: JSON.parse(row.input) as Json };
    let snapshot = (await start(machine, params, this.o.services)).snapshot;
    for (const event of this.store.engineEvents(row.arn)) {
      snapshot = (await advance(machine, snapshot, event, this.o.services)).snapshot;
    }
    return { machine, snapshot };
  }

  /** What `start` was given, but the input (parsed by the caller: replay takes the text). */
  private paramsOf(row: ExecutionRow): Omit<StartParams, "input"> {
    return {
      executionArn: row.arn,
      stateMachineArn: row.machine_arn,
      name: row.name,
      startTime: row.start_ms,
      seed: row.seed,
      roleArn: row.role_arn,
    };
  }

  private remember(row: ExecutionRow): void {
    this.rows.delete(row.arn);
    this.rows.set(row.arn, row);
    while (this.rows.size > this.rowCacheSize) {
      this.rows.delete(this.rows.keys().next().value as string);
    }
  }

  /**
   * Queues a step's writes for this turn's group commit; resolves once they are durable (the
   * cached row changes only then), rejects when they were not written.
   */
  private write(row: ExecutionRow, fn: () => void, journal: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.batch.push({ row, fn, journal, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // A journal append is cheap: commit it as soon as this turn's microtasks have run, without
        // waiting for the event loop. A transaction waits for the loop turn to gather more steps.
        // (A resolved promise, not queueMicrotask, which wraps each callback in an async scope.)
        if (journal) void resolved.then(this.flushNow);
        else setImmediate(this.flushNow);
      }
    });
  }

  /** One transaction for the turn's steps; a step that throws is undone alone (its savepoint). */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.batch;
    this.batch = [];
    const failed = new Map<PendingWrite, unknown>();
    try {
      if (!this.store.isOpen) throw new Error("the runtime's store is closed");
      if (batch.length === 1 ? (batch[0] as PendingWrite).journal : batch.every((w) => w.journal)) {
        // One journal append for the turn instead of a transaction: each step is captured alone.
        for (const w of batch) {
          try {
            this.store.capture(w.fn);
          } catch (error) {
            failed.set(w, error);
          }
        }
        this.store.commitCaptured();
      } else
        this.store.tx(() => {
          if (batch.length === 1) {
            (batch[0] as PendingWrite).fn();
            return;
          }
          for (const w of batch) {
            try {
              this.store.savepoint(w.fn);
            } catch (error) {
              failed.set(w, error);
            }
          }
        });
    } catch (error) {
      for (const w of batch) if (!failed.has(w)) failed.set(w, error);
    }
    for (const w of batch) {
      const error = failed.get(w);
      if (failed.has(w)) {
        // The snapshot may be ahead of the log now: rebuild both from SQLite next time.
        this.rows.delete(w.row.arn);
        this.cache.delete(w.row.arn);
        w.reject(error);
      } else {
        this.remember(w.row);
        w.resolve();
      }
    }
  }

  /** The row as it stands after a step: counters advanced, a terminal status with its result. */
  private after(
    row: ExecutionRow,
    event: EngineEvent | undefined,
    result: StepResult<EngineSnapshot>,
  ): ExecutionRow {
    // Every field spelled out (one object shape, no spread: this runs once per step).
    const ended = result.status !== "RUNNING";
    const last = ended ? result.history[result.history.length - 1] : undefined;
    return {
      arn: row.arn,
      name: row.name,
      machine_arn: row.machine_arn,
      machine_type: row.machine_type,
      definition: row.definition,
      role_arn: row.role_arn,
      input: row.input,
      status: result.status,
      output: !ended ? row.output : result.status === "SUCCEEDED" ? outputText(result) : null,
      error: ended ? (result.error ?? null) : row.error,
      cause: ended ? (result.cause ?? null) : row.cause,
      start_ms: row.start_ms,
      stop_ms: ended ? (last?.timestamp ?? event?.at ?? this.clock.now()) : row.stop_ms,
      seed: row.seed,
      next_seq: row.next_seq + (event ? 1 : 0),
      history_count: row.history_count + result.history.length,
      version_arn: row.version_arn,
      history_replay: row.history_replay,
    };
  }

  /**
   * Inside a transaction, after the row's own write: the step's log entries, its commands as rows,
   * and for an end the cancellation of open timers and tasks (a fresh start has none before its
   * own commands).
   */
  private commit(
    row: ExecutionRow,
    event: EngineEvent | undefined,
    result: StepResult<EngineSnapshot>,
    fresh: boolean,
  ): void {
    const arn = row.arn;
    // A one-step execution's history is rebuilt by replay, not stored.
    this.store.appendStep(arn, row.next_seq, event, row.history_replay ? [] : result.history);
    for (const c of result.commands) this.recordCommand(arn, c);
    if (result.status !== "RUNNING" && (!fresh || result.commands.length > 0)) {
      this.store.cancelOpenWork(arn);
    }
  }

  private recordCommand(arn: string, c: Command): void {
    switch (c.kind) {
      case "task":
        this.store.addTask({
          execution_arn: arn,
          task_id: c.id,
          state_name: c.stateName,
          resource: c.resource,
          input: JSON.stringify(c.input),
          token: c.taskToken ?? null,
        });
        break;
      case "timer":
        this.store.armTimer(arn, c.id, c.at);
        break;
      case "cancelTimer":
        this.store.settleTimer(arn, c.id, "cancelled");
        break;
      case "cancelTask": {
        const t = this.store.getTask(arn, c.id);
        if (t && (t.status === "running" || t.status === "waiting")) {
          this.store.setTaskStatus(arn, c.id, "cancelled");
        }
        break;
      }
    }
  }

  /** After the transaction: cache or drop the snapshot, then do what the engine asked. */
  private afterCommit(arn: string, live: Live, result: StepResult<EngineSnapshot>): void {
    if (result.status === "RUNNING") {
      this.cache.delete(arn);
      this.cache.set(arn, live);
      while (this.cache.size > this.cacheSize) {
        this.cache.delete(this.cache.keys().next().value as string);
      }
    } else {
      this.cache.delete(arn);
    }
    for (const c of result.commands) {
      switch (c.kind) {
        case "timer":
          this.armTimer(arn, c.id, c.at);
          break;
        case "cancelTimer":
          this.disarmTimer(arn, c.id);
          break;
        case "task": {
          const row = this.store.getTask(arn, c.id);
          if (row?.status === "running") this.launchTask(row);
          break;
        }
        case "cancelTask":
          this.stopChildOf(arn, c.id);
          break;
      }
    }
    if (result.status !== "RUNNING") this.finished(arn);
  }

  private finished(arn: string): void {
    const byId = this.timers.get(arn);
    if (byId) for (const cancel of byId.values()) cancel();
    this.timers.delete(arn);
    const row = this.execution(arn) as ExecutionRow;
    for (const resolve of this.finishWaiters.get(arn) ?? []) resolve(row);
    this.finishWaiters.delete(arn);
    // `.sync` parents waiting on this child.
    if (this.awaitedChildren.delete(arn)) {
      for (const parent of this.store.tasksWaitingOnChild(arn)) this.deliverChild(parent, row);
    }
  }

  private armTimer(arn: string, id: string, at: number): void {
    if (this.closed) return;
    this.disarmTimer(arn, id);
    const cancel = this.clock.schedule(at, () => this.fireTimer(arn, id));
    let byId = this.timers.get(arn);
    if (!byId) {
      byId = new Map();
      this.timers.set(arn, byId);
    }
    byId.set(id, cancel);
  }

  private disarmTimer(arn: string, id: string): void {
    const byId = this.timers.get(arn);
    byId?.get(id)?.();
    byId?.delete(id);
    if (byId?.size === 0) this.timers.delete(arn);
  }

  private fireTimer(arn: string, id: string): Promise<unknown> {
    const byId = this.timers.get(arn);
    byId?.delete(id);
    if (byId?.size === 0) this.timers.delete(arn);
    if (this.closed) return Promise.resolve();
    return this.deliver(
      arn,
      { type: "timerFired", id, at: this.clock.now() },
      () => this.store.getTimer(arn, id)?.state === "pending",
      () => this.store.settleTimer(arn, id, "fired"),
    ).catch((error: unknown) => this.o.onError?.(error));
  }

  /** Runs a task's invocation in the background and feeds its outcome back. */
  private launchTask(task: TaskRow): void {
    if (this.closed) return;
    const arn = task.execution_arn;
    const id = task.task_id;
    const open = () => {
      const t = this.store.getTask(arn, id);
      return t !== undefined && (t.status === "running" || t.status === "waiting");
    };
    const done = () => this.store.setTaskStatus(arn, id, "done");
    const work = (async () => {
      let outcome: TaskOutcome;
      try {
        outcome = await this.o.runTask({
          executionArn: arn,
          taskId: id,
          resource: task.resource,
          input: JSON.parse(task.input) as Json,
        });
      } catch (error) {
        if (this.closed) return;
        const failure =
          error instanceof TaskInvocationError
            ? { error: error.error, cause: error.errorCause }
            : { error: "States.TaskFailed", cause: (error as Error)?.message ?? String(error) };
        await this.deliver(
          arn,
          { type: "taskFailed", id, ...failure, at: this.clock.now() },
          open,
          done,
        );
        return;
      }
      if (this.closed) return;
      if (outcome.kind === "succeeded") {
        await this.deliver(
          arn,
          { type: "taskSucceeded", id, output: outcome.output, at: this.clock.now() },
          open,
          done,
        );
      } else if (outcome.kind === "waiting") {
        // The token may already have come back while the handler ran; only a running task waits.
        if (this.store.getTask(arn, id)?.status === "running")
          this.store.setTaskStatus(arn, id, "waiting");
      } else {
        this.awaitedChildren.add(outcome.childArn);
        this.store.tx(() => {
          this.store.setTaskChild(arn, id, outcome.childArn);
          if (this.store.getTask(arn, id)?.status === "running")
            this.store.setTaskStatus(arn, id, "waiting");
        });
        const child = this.execution(outcome.childArn);
        if (child && child.status !== "RUNNING") {
          this.awaitedChildren.delete(outcome.childArn);
          const parent = this.store.getTask(arn, id);
          if (parent) this.deliverChild(parent, child);
        }
      }
    })().catch((error: unknown) => this.o.onError?.(error));
    this.track(work);
  }

  private deliverChild(parent: TaskRow, child: ExecutionRow): void {
    const arn = parent.execution_arn;
    const id = parent.task_id;
    const open = () => {
      const t = this.store.getTask(arn, id);
      return t !== undefined && (t.status === "running" || t.status === "waiting");
    };
    const done = () => this.store.setTaskStatus(arn, id, "done");
    let event: EngineEvent;
    try {
      event = {
        type: "taskSucceeded",
        id,
        output: childOutcome(child, parent.resource),
        at: this.clock.now(),
      };
    } catch (error) {
      const e = error as TaskInvocationError;
      event = { type: "taskFailed", id, error: e.error, cause: e.errorCause, at: this.clock.now() };
    }
    this.track(
      this.deliver(arn, event, open, done).catch((error: unknown) => this.o.onError?.(error)),
    );
  }

  /** A cancelled `.sync` task stops its child, as on AWS. */
  private stopChildOf(arn: string, id: string): void {
    const child = this.store.getTask(arn, id)?.child_arn;
    if (!child) return;
    this.track(
      this.deliver(child, {
        type: "stop",
        error: "States.Aborted",
        cause: "The parent task was cancelled",
        at: this.clock.now(),
      }).catch((error: unknown) => this.o.onError?.(error)),
    );
  }
}
