/**
 * Where Map Runs are kept: one row per Map Run (its plan, status, runtime settings, result) and
 * the inputs of its child executions, written once when the items have been read. Which children
 * ran and how they ended is not stored here: each child is an execution with a name derived from
 * the Map Run and its index, so the executions table says it, and a resumed Map Run never starts a
 * child twice. A redriven Map Run notes, in the same transaction that sets it running again, which
 * children it reruns (`ChildRedrive`), so that after a crash it knows a child it already redrove.
 * SQLite tables beside the runtime's own (same database, same transactions), or plain
 * maps for the memory store.
 */
import type Database from "better-sqlite3";
import type { Store } from "../store/index.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";

export type MapRunStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";

export interface MapRunRow {
  id: number;
  arn: string;
  exec_arn: string;
  task_id: string;
  /** The plan (JSON text, `MapRunPlan`). */
  plan: string;
  status: MapRunStatus;
  start_ms: number;
  stop_ms: number | null;
  max_concurrency: number;
  tolerated_count: number;
  tolerated_pct: number;
  /** Child executions, or -1 until the items have been read. */
  children: number;
  /** The state's result (JSON text) once SUCCEEDED. */
  output: string | null;
  error: string | null;
  cause: string | null;
  /** Times redriven (DescribeMapRun's redriveCount), and when last. */
  redrive_count: number;
  redrive_ms: number | null;
}

/** What a redrive of the Map Run did to one child that had not succeeded. */
export interface ChildRedrive {
  /** The Map Run's redrive count when this child was last marked to run again. */
  round: number;
  /** The child's own redrive count then (it is rerun once more in that round). */
  base: number;
}

export interface ChildInput {
  text: string;
  /** Items in this child's input (1, or the batch size). */
  items: number;
}

export interface MapRunStore {
  get(arn: string): MapRunRow | undefined;
  /** Inserts and sets `id`. */
  insert(row: MapRunRow): void;
  update(row: MapRunRow): void;
  /** Map Runs started by an execution, oldest first. */
  ofExecution(execArn: string): MapRunRow[];
  running(): MapRunRow[];
  putInputs(runId: number, inputs: ChildInput[]): void;
  input(runId: number, index: number): string | undefined;
  /** Items per child, by index. */
  itemCounts(runId: number): number[];
  /** The children a redrive marked, by index. */
  redrives(runId: number): Map<number, ChildRedrive>;
  putRedrive(runId: number, index: number, r: ChildRedrive): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS map_runs (
  id INTEGER PRIMARY KEY, arn TEXT NOT NULL UNIQUE, exec_arn TEXT NOT NULL, task_id TEXT NOT NULL,
  plan TEXT NOT NULL, status TEXT NOT NULL, start_ms INTEGER NOT NULL, stop_ms INTEGER,
  max_concurrency INTEGER NOT NULL, tolerated_count REAL NOT NULL, tolerated_pct REAL NOT NULL,
  children INTEGER NOT NULL, output TEXT, error TEXT, cause TEXT,
  redrive_count INTEGER NOT NULL DEFAULT 0, redrive_ms INTEGER);
CREATE INDEX IF NOT EXISTS map_runs_by_execution ON map_runs(exec_arn, id);
CREATE INDEX IF NOT EXISTS map_runs_running ON map_runs(status) WHERE status = 'RUNNING';
CREATE TABLE IF NOT EXISTS map_run_inputs (
  run_id INTEGER NOT NULL, idx INTEGER NOT NULL, input TEXT NOT NULL, items INTEGER NOT NULL,
  PRIMARY KEY (run_id, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS map_run_redrives (
  run_id INTEGER NOT NULL, idx INTEGER NOT NULL, round INTEGER NOT NULL, base INTEGER NOT NULL,
  PRIMARY KEY (run_id, idx)) WITHOUT ROWID;
`;

/** Stores written before Map Run redrive lack its two columns. */
function addRedriveColumns(db: Database.Database): void {
  const cols = db.prepare<[], { name: string }>("PRAGMA table_info(map_runs)").all();
  if (cols.some((c) => c.name === "redrive_count")) return;
  db.exec(`ALTER TABLE map_runs ADD COLUMN redrive_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE map_runs ADD COLUMN redrive_ms INTEGER;`);
}

class SqliteMapRuns implements MapRunStore {
  private readonly s;
  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    addRedriveColumns(db);
    this.s = {
      get: db.prepare<[string], MapRunRow>("SELECT * FROM map_runs WHERE arn = ?"),
      insert: db.prepare(
        `INSERT INTO map_runs (arn, exec_arn, task_id, plan, status, start_ms, stop_ms,
          max_concurrency, tolerated_count, tolerated_pct, children, output, error, cause,
          redrive_count, redrive_ms)
         VALUES (@arn, @exec_arn, @task_id, @plan, @status, @start_ms, @stop_ms, @max_concurrency,
          @tolerated_count, @tolerated_pct, @children, @output, @error, @cause, @redrive_count,
          @redrive_ms)`,
      ),
      update: db.prepare(
        `UPDATE map_runs SET task_id = @task_id, status = @status, stop_ms = @stop_ms,
          max_concurrency = @max_concurrency, tolerated_count = @tolerated_count,
          tolerated_pct = @tolerated_pct, children = @children, output = @output, error = @error,
          cause = @cause, redrive_count = @redrive_count, redrive_ms = @redrive_ms WHERE id = @id`,
      ),
      ofExecution: db.prepare<[string], MapRunRow>(
        "SELECT * FROM map_runs WHERE exec_arn = ? ORDER BY id",
      ),
      running: db.prepare<[], MapRunRow>("SELECT * FROM map_runs WHERE status = 'RUNNING'"),
      putInput: db.prepare("INSERT OR REPLACE INTO map_run_inputs VALUES (?, ?, ?, ?)"),
      input: db.prepare<[number, number], { input: string }>(
        "SELECT input FROM map_run_inputs WHERE run_id = ? AND idx = ?",
      ),
      counts: db.prepare<[number], { items: number }>(
        "SELECT items FROM map_run_inputs WHERE run_id = ? ORDER BY idx",
      ),
      redrives: db.prepare<[number], ChildRedrive & { idx: number }>(
        "SELECT idx, round, base FROM map_run_redrives WHERE run_id = ?",
      ),
      putRedrive: db.prepare("INSERT OR REPLACE INTO map_run_redrives VALUES (?, ?, ?, ?)"),
    };
  }
  get(arn: string) {
    return this.s.get.get(arn);
  }
  insert(row: MapRunRow) {
    const { id: _id, ...values } = row;
    row.id = Number(this.s.insert.run(values).lastInsertRowid);
  }
  update(row: MapRunRow) {
    const { arn: _a, exec_arn: _e, plan: _p, start_ms: _s, ...values } = row;
    this.s.update.run(values);
  }
  ofExecution(execArn: string) {
    return this.s.ofExecution.all(execArn);
  }
  running() {
    return this.s.running.all();
  }
  putInputs(runId: number, inputs: ChildInput[]) {
    inputs.forEach((c, i) => {
      this.s.putInput.run(runId, i, c.text, c.items);
    });
  }
  input(runId: number, index: number) {
    return this.s.input.get(runId, index)?.input;
  }
  itemCounts(runId: number) {
    return this.s.counts.all(runId).map((r) => r.items);
  }
  redrives(runId: number) {
    const out = new Map<number, ChildRedrive>();
    for (const { idx, ...r } of this.s.redrives.all(runId)) out.set(idx, r);
    return out;
  }
  putRedrive(runId: number, index: number, r: ChildRedrive) {
    this.s.putRedrive.run(runId, index, r.round, r.base);
  }
}

class MemoryMapRuns implements MapRunStore {
  private readonly rows = new Map<string, MapRunRow>();
  private readonly inputs = new Map<number, ChildInput[]>();
  private readonly marked = new Map<number, Map<number, ChildRedrive>>();
  private nextId = 1;
  get(arn: string) {
    const row = this.rows.get(arn);
    return row && { ...row };
  }
  insert(row: MapRunRow) {
    row.id = this.nextId++;
    this.rows.set(row.arn, { ...row });
  }
  update(row: MapRunRow) {
    this.rows.set(row.arn, { ...row });
  }
  ofExecution(execArn: string) {
    return [...this.rows.values()].filter((r) => r.exec_arn === execArn).map((r) => ({ ...r }));
  }
  running() {
    return [...this.rows.values()].filter((r) => r.status === "RUNNING").map((r) => ({ ...r }));
  }
  putInputs(runId: number, inputs: ChildInput[]) {
    this.inputs.set(runId, inputs);
  }
  input(runId: number, index: number) {
    return this.inputs.get(runId)?.[index]?.text;
  }
  itemCounts(runId: number) {
    return (this.inputs.get(runId) ?? []).map((c) => c.items);
  }
  redrives(runId: number) {
    return new Map(this.marked.get(runId));
  }
  putRedrive(runId: number, index: number, r: ChildRedrive) {
    const m = this.marked.get(runId) ?? new Map<number, ChildRedrive>();
    this.marked.set(runId, m);
    m.set(index, { ...r });
  }
}

const opened = new WeakMap<Store, MapRunStore>();

/** The Map Run tables of a runtime's store (created on first use). */
export function mapRunStore(store: Store): MapRunStore {
  let s = opened.get(store);
  if (!s) {
    s = store instanceof SqliteStore ? new SqliteMapRuns(store.db) : new MemoryMapRuns();
    opened.set(store, s);
  }
  return s;
}
