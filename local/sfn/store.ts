/**
 * The runtime's durable store: SQLite (better-sqlite3, WAL, synchronous=NORMAL) in the data
 * directory, or in memory. Executions are rebuilt by replay, so the log tables are append-only:
 * `engine_events` (what was fed to the engine, in order) and `step_history` (the AWS history
 * events it produced, one row per step holding a JSON array of up to `HISTORY_CHUNK` consecutive
 * events: one INSERT per step instead of one per event, which was half of a short execution's
 * cost). `step_history` is a rowid table: a WITHOUT ROWID row over ~1 KB spills into overflow
 * pages, and a step's events are usually a few KB. `timers` and `tasks` record every command the engine issued and whether it is done, so
 * a restart knows what to re-arm and re-invoke without replaying anything.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { EngineEvent, ExecutionStatus, HistoryEvent } from "../asl/types.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state_machines (
  arn TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, definition TEXT NOT NULL,
  role_arn TEXT NOT NULL, description TEXT, created_ms INTEGER NOT NULL, updated_ms INTEGER,
  revision INTEGER NOT NULL, revision_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state_machine_versions (
  arn TEXT PRIMARY KEY, machine_arn TEXT NOT NULL, version INTEGER NOT NULL,
  definition TEXT NOT NULL, role_arn TEXT NOT NULL, description TEXT, created_ms INTEGER NOT NULL,
  revision_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS executions (
  arn TEXT PRIMARY KEY, name TEXT NOT NULL, machine_arn TEXT NOT NULL, machine_type TEXT NOT NULL,
  definition TEXT NOT NULL, role_arn TEXT NOT NULL, input TEXT NOT NULL, status TEXT NOT NULL,
  output TEXT, error TEXT, cause TEXT, start_ms INTEGER NOT NULL, stop_ms INTEGER,
  seed TEXT NOT NULL, next_seq INTEGER NOT NULL DEFAULT 0, history_count INTEGER NOT NULL DEFAULT 0,
  version_arn TEXT);
CREATE INDEX IF NOT EXISTS executions_by_machine ON executions(machine_arn, start_ms);
-- Partial: an execution that ends in its first step never touches it (one page less per commit).
DROP INDEX IF EXISTS executions_by_status;
CREATE INDEX IF NOT EXISTS executions_running ON executions(status) WHERE status = 'RUNNING';
CREATE TABLE IF NOT EXISTS engine_events (
  execution_arn TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL,
  PRIMARY KEY (execution_arn, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS step_history (
  execution_arn TEXT NOT NULL, first_id INTEGER NOT NULL, last_id INTEGER NOT NULL,
  events TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS step_history_by_id ON step_history(execution_arn, first_id);
CREATE TABLE IF NOT EXISTS timers (
  execution_arn TEXT NOT NULL, timer_id TEXT NOT NULL, fire_at INTEGER NOT NULL,
  state TEXT NOT NULL, PRIMARY KEY (execution_arn, timer_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS timers_pending ON timers(state) WHERE state = 'pending';
CREATE TABLE IF NOT EXISTS tasks (
  execution_arn TEXT NOT NULL, task_id TEXT NOT NULL, state_name TEXT NOT NULL,
  resource TEXT NOT NULL, input TEXT NOT NULL, token TEXT, status TEXT NOT NULL,
  child_arn TEXT, PRIMARY KEY (execution_arn, task_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tasks_running ON tasks(status) WHERE status = 'running';
CREATE INDEX IF NOT EXISTS tasks_by_child ON tasks(child_arn) WHERE child_arn IS NOT NULL;
`;

export interface StateMachineRow {
  arn: string;
  name: string;
  type: "STANDARD" | "EXPRESS";
  definition: string;
  role_arn: string;
  description: string | null;
  created_ms: number;
  updated_ms: number | null;
  revision: number;
  revision_id: string;
}

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

export interface ExecutionRow {
  arn: string;
  name: string;
  machine_arn: string;
  machine_type: "STANDARD" | "EXPRESS";
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
  next_seq: number;
  history_count: number;
  version_arn: string | null;
}

/** `running`: being invoked; `waiting`: invoked, awaiting its token or child; then done/cancelled. */
export type TaskStatus = "running" | "waiting" | "done" | "cancelled";

export interface TaskRow {
  execution_arn: string;
  task_id: string;
  state_name: string;
  resource: string;
  input: string;
  token: string | null;
  status: TaskStatus;
  child_arn: string | null;
}

export interface TimerRow {
  execution_arn: string;
  timer_id: string;
  fire_at: number;
  state: "pending" | "fired" | "cancelled";
}

/** Most history events in one `step_history` row, so a page never parses a huge step (a Map). */
const HISTORY_CHUNK = 256;

/** Earlier layouts of the history, folded into `step_history` once on open. */
const MIGRATIONS: Record<string, string> = {
  // one row per event
  history: `INSERT OR IGNORE INTO step_history (execution_arn, first_id, last_id, events)
    SELECT execution_arn, id, id, '[' || event || ']' FROM history; DROP TABLE history;`,
  // one WITHOUT ROWID row per step
  history_steps: `INSERT OR IGNORE INTO step_history (execution_arn, first_id, last_id, events)
    SELECT execution_arn, first_id, last_id, events FROM history_steps; DROP TABLE history_steps;`,
};

/** Opens (creating if needed) the store: `<dataDir>/sfn.sqlite`, or in memory when no dir. */
export function openStore(dataDir?: string): Store {
  let file = ":memory:";
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, "sfn.sqlite");
  }
  return new Store(new Database(file));
}

/** Typed access to the tables; every write that belongs together goes through `tx`. */
export class Store {
  private readonly s;
  private readonly machines = new Map<string, StateMachineRow>();

  constructor(readonly db: Database.Database) {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    // Checkpoints fsync; every 1,000 pages (the default) cost a short execution ~20% of its time.
    db.pragma("wal_autocheckpoint = 8000");
    db.exec(SCHEMA);
    const hasTable = db.prepare<[string], { n: number }>(
      "SELECT 1 AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
    );
    for (const [table, sql] of Object.entries(MIGRATIONS)) {
      if (hasTable.get(table)) db.transaction(() => db.exec(sql))();
    }
    this.s = {
      getMeta: db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?"),
      putMeta: db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)"),
      getMachine: db.prepare<[string], StateMachineRow>(
        "SELECT * FROM state_machines WHERE arn = ?",
      ),
      insertMachine: db.prepare(
        `INSERT INTO state_machines (arn, name, type, definition, role_arn, description, created_ms,
         updated_ms, revision, revision_id) VALUES (@arn, @name, @type, @definition, @role_arn,
         @description, @created_ms, @updated_ms, @revision, @revision_id)`,
      ),
      updateMachine: db.prepare(
        `UPDATE state_machines SET definition = @definition, role_arn = @role_arn,
         description = @description, updated_ms = @updated_ms, revision = @revision,
         revision_id = @revision_id WHERE arn = @arn`,
      ),
      deleteMachine: db.prepare("DELETE FROM state_machines WHERE arn = ?"),
      listMachines: db.prepare<[], StateMachineRow>("SELECT * FROM state_machines ORDER BY arn"),
      insertVersion: db.prepare(
        `INSERT INTO state_machine_versions (arn, machine_arn, version, definition, role_arn,
         description, created_ms, revision_id) VALUES (@arn, @machine_arn, @version, @definition,
         @role_arn, @description, @created_ms, @revision_id)`,
      ),
      getVersion: db.prepare<[string], VersionRow>(
        "SELECT * FROM state_machine_versions WHERE arn = ?",
      ),
      latestVersion: db.prepare<[string], VersionRow>(
        "SELECT * FROM state_machine_versions WHERE machine_arn = ? ORDER BY version DESC LIMIT 1",
      ),
      getExecution: db.prepare<[string], ExecutionRow>("SELECT * FROM executions WHERE arn = ?"),
      insertExecution: db.prepare(
        `INSERT INTO executions (arn, name, machine_arn, machine_type, definition, role_arn, input,
         status, output, error, cause, start_ms, stop_ms, seed, next_seq, history_count,
         version_arn) VALUES (@arn, @name, @machine_arn, @machine_type, @definition, @role_arn,
         @input, @status, @output, @error, @cause, @start_ms, @stop_ms, @seed, @next_seq,
         @history_count, @version_arn)`,
      ),
      updateExecution: db.prepare(
        `UPDATE executions SET status = @status, output = @output, error = @error, cause = @cause,
         stop_ms = @stop_ms, next_seq = @next_seq, history_count = @history_count WHERE arn = @arn`,
      ),
      runningExecutions: db.prepare<[], { arn: string }>(
        "SELECT arn FROM executions WHERE status = 'RUNNING'",
      ),
      insertEngineEvent: db.prepare(
        "INSERT INTO engine_events (execution_arn, seq, event) VALUES (?, ?, ?)",
      ),
      engineEvents: db.prepare<[string], { event: string }>(
        "SELECT event FROM engine_events WHERE execution_arn = ? ORDER BY seq",
      ),
      insertHistory: db.prepare(
        "INSERT INTO step_history (execution_arn, first_id, last_id, events) VALUES (?, ?, ?, ?)",
      ),
      historyAfter: db.prepare<[string, number], { events: string }>(
        `SELECT events FROM step_history WHERE execution_arn = ? AND last_id > ?
         ORDER BY first_id`,
      ),
      historyBefore: db.prepare<[string, number], { events: string }>(
        `SELECT events FROM step_history WHERE execution_arn = ? AND first_id < ?
         ORDER BY first_id DESC`,
      ),
      begin: db.prepare("BEGIN"),
      commit: db.prepare("COMMIT"),
      rollback: db.prepare("ROLLBACK"),
      savepoint: db.prepare("SAVEPOINT step"),
      release: db.prepare("RELEASE step"),
      rollbackTo: db.prepare("ROLLBACK TO step"),
      upsertTimer: db.prepare(
        `INSERT OR REPLACE INTO timers (execution_arn, timer_id, fire_at, state)
         VALUES (?, ?, ?, 'pending')`,
      ),
      setTimerState: db.prepare(
        "UPDATE timers SET state = ? WHERE execution_arn = ? AND timer_id = ? AND state = 'pending'",
      ),
      getTimer: db.prepare<[string, string], TimerRow>(
        "SELECT * FROM timers WHERE execution_arn = ? AND timer_id = ?",
      ),
      pendingTimers: db.prepare<[], TimerRow>("SELECT * FROM timers WHERE state = 'pending'"),
      cancelExecutionTimers: db.prepare(
        "UPDATE timers SET state = 'cancelled' WHERE execution_arn = ? AND state = 'pending'",
      ),
      upsertTask: db.prepare(
        `INSERT OR REPLACE INTO tasks (execution_arn, task_id, state_name, resource, input, token,
         status, child_arn) VALUES (@execution_arn, @task_id, @state_name, @resource, @input,
         @token, 'running', NULL)`,
      ),
      getTask: db.prepare<[string, string], TaskRow>(
        "SELECT * FROM tasks WHERE execution_arn = ? AND task_id = ?",
      ),
      setTaskStatus: db.prepare(
        "UPDATE tasks SET status = ? WHERE execution_arn = ? AND task_id = ?",
      ),
      setTaskChild: db.prepare(
        "UPDATE tasks SET child_arn = ? WHERE execution_arn = ? AND task_id = ?",
      ),
      runningTasks: db.prepare<[], TaskRow>("SELECT * FROM tasks WHERE status = 'running'"),
      tasksOfChild: db.prepare<[string], TaskRow>(
        "SELECT * FROM tasks WHERE child_arn = ? AND status IN ('running', 'waiting')",
      ),
      childWaits: db.prepare<[], TaskRow>(
        "SELECT * FROM tasks WHERE child_arn IS NOT NULL AND status IN ('running', 'waiting')",
      ),
      openTasksOf: db.prepare<[string], TaskRow>(
        "SELECT * FROM tasks WHERE execution_arn = ? AND status IN ('running', 'waiting')",
      ),
      cancelExecutionTasks: db.prepare(
        `UPDATE tasks SET status = 'cancelled' WHERE execution_arn = ?
         AND status IN ('running', 'waiting')`,
      ),
    };
  }

  /**
   * Runs `fn` in one transaction (all or nothing, durable on commit); inside another transaction
   * it simply joins it. Prepared BEGIN/COMMIT: `db.transaction(fn)` builds a wrapper per call.
   */
  tx<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    this.s.begin.run();
    let result: T;
    try {
      result = fn();
    } catch (error) {
      if (this.db.inTransaction) this.s.rollback.run();
      throw error;
    }
    this.s.commit.run();
    return result;
  }

  /** Inside a transaction: runs `fn` so that, if it throws, only its own writes are undone. */
  savepoint(fn: () => void): void {
    this.s.savepoint.run();
    try {
      fn();
    } catch (error) {
      this.s.rollbackTo.run();
      this.s.release.run();
      throw error;
    }
    this.s.release.run();
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  meta(key: string, create: () => string): string {
    const row = this.s.getMeta.get(key);
    if (row) return row.value;
    this.s.putMeta.run(key, create());
    return (this.s.getMeta.get(key) as { value: string }).value;
  }

  // state machines: every start reads its machine, so reads are cached; writes drop the entry
  // (a rolled-back write then simply reads SQLite again)
  getMachine(arn: string): StateMachineRow | undefined {
    const hit = this.machines.get(arn);
    if (hit) return hit;
    const row = this.s.getMachine.get(arn);
    if (row) {
      if (this.machines.size >= 1024) this.machines.clear();
      this.machines.set(arn, row);
    }
    return row;
  }
  insertMachine(row: StateMachineRow): void {
    this.machines.delete(row.arn);
    this.s.insertMachine.run(row);
  }
  updateMachine(row: StateMachineRow): void {
    this.machines.delete(row.arn);
    this.s.updateMachine.run(row);
  }
  deleteMachine(arn: string): void {
    this.machines.delete(arn);
    this.s.deleteMachine.run(arn);
  }
  listMachines(): StateMachineRow[] {
    return this.s.listMachines.all();
  }
  insertVersion(row: VersionRow): void {
    this.s.insertVersion.run(row);
  }
  getVersion(arn: string): VersionRow | undefined {
    return this.s.getVersion.get(arn);
  }
  latestVersion(machineArn: string): VersionRow | undefined {
    return this.s.latestVersion.get(machineArn);
  }

  // executions
  getExecution(arn: string): ExecutionRow | undefined {
    return this.s.getExecution.get(arn);
  }
  /** Inserts a whole row: a start that already ran to its end is stored finished in one write. */
  insertExecution(row: ExecutionRow): void {
    this.s.insertExecution.run(row);
  }
  /** Writes a row's mutable fields (status, result, counters) as the caller holds them. */
  updateExecution(row: ExecutionRow): void {
    this.s.updateExecution.run(row);
  }
  /** Cancels the pending timers and open tasks of an execution that ended. */
  cancelOpenWork(arn: string): void {
    this.s.cancelExecutionTimers.run(arn);
    this.s.cancelExecutionTasks.run(arn);
  }
  runningExecutions(): string[] {
    return this.s.runningExecutions.all().map((r) => r.arn);
  }
  listExecutions(filter: {
    machineArn?: string;
    status?: string;
    offset: number;
    limit: number;
  }): ExecutionRow[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.machineArn) {
      where.push("(machine_arn = ? OR version_arn = ?)");
      args.push(filter.machineArn, filter.machineArn);
    }
    if (filter.status) {
      where.push("status = ?");
      args.push(filter.status);
    }
    const sql = `SELECT * FROM executions ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY start_ms DESC, rowid DESC LIMIT ? OFFSET ?`;
    return this.db.prepare<unknown[], ExecutionRow>(sql).all(...args, filter.limit, filter.offset);
  }

  /**
   * Appends one step: its engine event (when given, as number `seq`) and its history events. The
   * execution's counters are the caller's to write (`insertExecution` / `updateExecution`).
   */
  appendStep(
    arn: string,
    seq: number,
    event: EngineEvent | undefined,
    history: HistoryEvent[],
  ): void {
    if (event) this.s.insertEngineEvent.run(arn, seq, JSON.stringify(event));
    for (let i = 0; i < history.length; i += HISTORY_CHUNK) {
      const chunk = history.length <= HISTORY_CHUNK ? history : history.slice(i, i + HISTORY_CHUNK);
      const first = chunk[0] as HistoryEvent;
      const last = chunk[chunk.length - 1] as HistoryEvent;
      this.s.insertHistory.run(arn, first.id, last.id, JSON.stringify(chunk));
    }
  }
  engineEvents(arn: string): EngineEvent[] {
    return this.s.engineEvents.all(arn).map((r) => JSON.parse(r.event) as EngineEvent);
  }
  /** Up to `limit` history events after id `from` ascending, or before it descending. */
  historyPage(arn: string, from: number, limit: number, reverse: boolean): HistoryEvent[] {
    const out: HistoryEvent[] = [];
    if (limit <= 0) return out;
    const rows = reverse
      ? this.s.historyBefore.iterate(arn, from)
      : this.s.historyAfter.iterate(arn, from);
    for (const row of rows) {
      const events = JSON.parse(row.events) as HistoryEvent[];
      if (reverse) events.reverse();
      for (const e of events) {
        if (reverse ? e.id >= from : e.id <= from) continue;
        out.push(e);
        if (out.length === limit) break;
      }
      if (out.length === limit) break; // leaving the loop resets the statement
    }
    return out;
  }

  // timers
  armTimer(arn: string, id: string, at: number): void {
    this.s.upsertTimer.run(arn, id, at);
  }
  /** Marks a pending timer fired/cancelled; false when it was not pending. */
  settleTimer(arn: string, id: string, state: "fired" | "cancelled"): boolean {
    return this.s.setTimerState.run(state, arn, id).changes > 0;
  }
  getTimer(arn: string, id: string): TimerRow | undefined {
    return this.s.getTimer.get(arn, id);
  }
  pendingTimers(): TimerRow[] {
    return this.s.pendingTimers.all();
  }

  // tasks
  addTask(row: Omit<TaskRow, "status" | "child_arn">): void {
    this.s.upsertTask.run(row);
  }
  getTask(arn: string, id: string): TaskRow | undefined {
    return this.s.getTask.get(arn, id);
  }
  setTaskStatus(arn: string, id: string, status: TaskStatus): void {
    this.s.setTaskStatus.run(status, arn, id);
  }
  setTaskChild(arn: string, id: string, childArn: string): void {
    this.s.setTaskChild.run(childArn, arn, id);
  }
  runningTasks(): TaskRow[] {
    return this.s.runningTasks.all();
  }
  tasksWaitingOnChild(childArn: string): TaskRow[] {
    return this.s.tasksOfChild.all(childArn);
  }
  /** Open `.sync` tasks with their child known (to re-check after a restart). */
  tasksWithChildren(): TaskRow[] {
    return this.s.childWaits.all();
  }
  openTasks(arn: string): TaskRow[] {
    return this.s.openTasksOf.all(arn);
  }
}
