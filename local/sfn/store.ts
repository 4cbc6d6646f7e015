/**
 * The runtime's durable store: SQLite (better-sqlite3, WAL, synchronous=NORMAL) in the data
 * directory, or in memory. Executions are rebuilt by replay, so the log tables are append-only:
 * `engine_events` (what was fed to the engine, in order) and `history` (the AWS history events it
 * produced). `timers` and `tasks` record every command the engine issued and whether it is done, so
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
CREATE INDEX IF NOT EXISTS executions_by_status ON executions(status);
CREATE TABLE IF NOT EXISTS engine_events (
  execution_arn TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL,
  PRIMARY KEY (execution_arn, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history (
  execution_arn TEXT NOT NULL, id INTEGER NOT NULL, event TEXT NOT NULL,
  PRIMARY KEY (execution_arn, id)) WITHOUT ROWID;
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

  constructor(readonly db: Database.Database) {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    db.exec(SCHEMA);
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
         status, start_ms, seed, version_arn) VALUES (@arn, @name, @machine_arn, @machine_type,
         @definition, @role_arn, @input, 'RUNNING', @start_ms, @seed, @version_arn)`,
      ),
      finishExecution: db.prepare(
        `UPDATE executions SET status = @status, output = @output, error = @error, cause = @cause,
         stop_ms = @stop_ms WHERE arn = @arn`,
      ),
      bumpExecution: db.prepare(
        `UPDATE executions SET next_seq = next_seq + @events, history_count = history_count + @history
         WHERE arn = @arn`,
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
      insertHistory: db.prepare("INSERT INTO history (execution_arn, id, event) VALUES (?, ?, ?)"),
      historyPage: db.prepare<[string, number, number], { event: string }>(
        "SELECT event FROM history WHERE execution_arn = ? AND id > ? ORDER BY id LIMIT ?",
      ),
      historyPageDesc: db.prepare<[string, number, number], { event: string }>(
        "SELECT event FROM history WHERE execution_arn = ? AND id < ? ORDER BY id DESC LIMIT ?",
      ),
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

  /** Runs `fn` in one transaction (all or nothing, durable on commit). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
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

  // state machines
  getMachine(arn: string): StateMachineRow | undefined {
    return this.s.getMachine.get(arn);
  }
  insertMachine(row: StateMachineRow): void {
    this.s.insertMachine.run(row);
  }
  updateMachine(row: StateMachineRow): void {
    this.s.updateMachine.run(row);
  }
  deleteMachine(arn: string): void {
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
  insertExecution(
    row: Pick<
      ExecutionRow,
      | "arn"
      | "name"
      | "machine_arn"
      | "machine_type"
      | "definition"
      | "role_arn"
      | "input"
      | "start_ms"
      | "seed"
      | "version_arn"
    >,
  ): void {
    this.s.insertExecution.run(row);
  }
  finishExecution(row: {
    arn: string;
    status: ExecutionStatus;
    output: string | null;
    error: string | null;
    cause: string | null;
    stop_ms: number;
  }): void {
    this.s.finishExecution.run(row);
    this.s.cancelExecutionTimers.run(row.arn);
    this.s.cancelExecutionTasks.run(row.arn);
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

  /** Appends one engine event (when given) and its history; returns the event's sequence number. */
  appendStep(
    arn: string,
    seq: number,
    event: EngineEvent | undefined,
    history: HistoryEvent[],
  ): void {
    if (event) this.s.insertEngineEvent.run(arn, seq, JSON.stringify(event));
    for (const h of history) this.s.insertHistory.run(arn, h.id, JSON.stringify(h));
    this.s.bumpExecution.run({ arn, events: event ? 1 : 0, history: history.length });
  }
  engineEvents(arn: string): EngineEvent[] {
    return this.s.engineEvents.all(arn).map((r) => JSON.parse(r.event) as EngineEvent);
  }
  /** History events after `afterId` ascending, or before `beforeId` descending. */
  historyPage(arn: string, from: number, limit: number, reverse: boolean): HistoryEvent[] {
    const rows = reverse
      ? this.s.historyPageDesc.all(arn, from, limit)
      : this.s.historyPage.all(arn, from, limit);
    return rows.map((r) => JSON.parse(r.event) as HistoryEvent);
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
