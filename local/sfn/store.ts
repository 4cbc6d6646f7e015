/**
 * The runtime's durable store: SQLite (better-sqlite3, WAL, synchronous=NORMAL) in the data
 * directory, or in memory, plus a redo journal (`journal.ts`) for the cheapest commits: an
 * execution that ran start-to-end in its first step is one journal line (one `writeSync`), folded
 * into SQLite later in batches (see `capture`, `fold`). Its history is not stored at all: it is
 * rebuilt by replay (`history_replay = 1`), and its definition is stored once per text in
 * `definitions`, keyed by hash (older rows hold the text in `executions.definition`).
 * Executions are rebuilt by replay, so the log tables are append-only:
 * `engine_events` (what was fed to the engine, in order) and `step_history` (the AWS history
 * events it produced, one row per step holding a JSON array of up to `HISTORY_CHUNK` consecutive
 * events: one INSERT per step instead of one per event, which was half of a short execution's
 * cost). `step_history` is a rowid table: a WITHOUT ROWID row over ~1 KB spills into overflow
 * pages, and a step's events are usually a few KB. `timers` and `tasks` record every command the engine issued and whether it is done, so
 * a restart knows what to re-arm and re-invoke without replaying anything.
 */
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { EngineEvent, ExecutionStatus, HistoryEvent } from "../asl/types.ts";
import { JournalFolder } from "./folder.ts";
import { Journal } from "./journal.ts";
import {
  CONNECTION_PRAGMAS,
  FOLD_EXECUTION_SQL,
  INSERT_DEFINITION_SQL,
  type JournalRow,
  parseJournalLine,
} from "./journal-format.ts";

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
  version_arn TEXT, definition_hash TEXT, history_replay INTEGER NOT NULL DEFAULT 0);
-- Definitions by content hash: an execution row names its definition instead of copying it.
CREATE TABLE IF NOT EXISTS definitions (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
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
  /** 1: the history is not stored; it is rebuilt by replaying `start` (a one-step execution). */
  history_replay: number;
  /** Set on rows read from SQLite that name their definition by hash (`definition` is resolved). */
  definition_hash?: string | null;
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

/** Without the background folder: pending records that make the store fold them at once... */
const FOLD_ROWS = 4096;
const FOLD_BYTES = 8 << 20;
/** ...otherwise this long after the first one (and before reads that need them in SQLite). */
const FOLD_MS = 100;
/** With the folder: the journal is emptied once this big and fully folded. */
const EMPTY_JOURNAL_AT = 4 << 20;

/** Where a record's definition hash and text sit. */
const RECORD_HASH = 5;
const RECORD_DEFINITION = 19;

/** The content hash that names a definition text. */
export function definitionHash(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

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
  return new Store(
    new Database(file),
    dataDir ? new Journal(join(dataDir, "sfn.journal")) : undefined,
  );
}

/** Typed access to the tables; every write that belongs together goes through `tx`. */
export class Store {
  private readonly s;
  private readonly machines = new Map<string, StateMachineRow>();
  /** Rows journaled but not yet folded into SQLite; reads of them look here first. */
  private readonly pending = new Map<string, ExecutionRow>();
  /** Record number of each pending row, in order (to drop them once the folder committed them). */
  private readonly pendingSeqs: Array<[number, string]> = [];
  private pendingHead = 0;
  /** The background folder (a file-backed store); without it, folds run on this thread. */
  private folder: JournalFolder | undefined;
  /** Definitions journaled (in a record's `d`) but not yet folded. */
  private readonly pendingDefs = new Map<string, string>();
  /** Hashes whose definition is committed in SQLite. */
  private readonly storedDefs = new Set<string>();
  /** Definition text → hash and hash → text (small caches: a few machines are in use at once). */
  private readonly hashes = new Map<string, string>();
  private readonly texts = new Map<string, string>();
  /** Rows of the `capture` calls since the last `commitCaptured`. */
  private captured: ExecutionRow[] = [];
  private capturing: ExecutionRow[] | undefined;
  /** Number of the last journal record written, and of the last one folded into SQLite. */
  private seq = 0;
  private foldTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly db: Database.Database,
    private readonly journal?: Journal,
  ) {
    for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
    db.exec(SCHEMA);
    const hasTable = db.prepare<[string], { n: number }>(
      "SELECT 1 AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
    );
    for (const [table, sql] of Object.entries(MIGRATIONS)) {
      if (hasTable.get(table)) db.transaction(() => db.exec(sql))();
    }
    // Data directories from before definitions by hash and replayed histories: old rows keep
    // their definition text and stored history (NULL hash, history_replay 0).
    const columns = new Set(
      db
        .prepare<[], { name: string }>("PRAGMA table_info(executions)")
        .all()
        .map((c) => c.name),
    );
    if (!columns.has("definition_hash"))
      db.exec("ALTER TABLE executions ADD COLUMN definition_hash TEXT");
    if (!columns.has("history_replay"))
      db.exec("ALTER TABLE executions ADD COLUMN history_replay INTEGER NOT NULL DEFAULT 0");
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
      insertExecution: db.prepare<[JournalRow]>(
        `INSERT INTO executions (arn, name, machine_arn, machine_type, definition, definition_hash,
         role_arn, input, status, output, error, cause, start_ms, stop_ms, seed, next_seq,
         history_count, version_arn, history_replay)
         VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // Journal records again after a crash between a fold's commit and the journal's truncation.
      foldExecution: db.prepare<[JournalRow]>(FOLD_EXECUTION_SQL),
      insertDefinition: db.prepare(INSERT_DEFINITION_SQL),
      getDefinition: db.prepare<[string], { text: string }>(
        "SELECT text FROM definitions WHERE hash = ?",
      ),
      setMeta: db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"),
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
      // IMMEDIATE: the journal folder writes from its own connection, and a deferred transaction
      // that read first could not upgrade to a writer after one of its commits (SQLITE_BUSY).
      begin: db.prepare("BEGIN IMMEDIATE"),
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
    this.recover();
    if (this.journal) this.folder = new JournalFolder(db.name, this.journal.file, this.seq);
  }

  /** Whether the background folder does the folds (else this thread does, in `tx`). */
  private get background(): boolean {
    return this.folder?.alive === true;
  }

  /** On open: folds the records a crash left in the journal (those not folded yet), in order. */
  private recover(): void {
    this.seq = Number(this.s.getMeta.get("journalSeq")?.value ?? 0);
    if (!this.journal) return;
    const records = this.journal.records(parseJournalLine);
    const folded = this.seq;
    this.db.transaction(() => {
      for (const r of records) {
        if (r[0] <= folded) continue;
        const definition = r[RECORD_DEFINITION];
        if (definition !== undefined) this.s.insertDefinition.run(r[RECORD_HASH], definition);
        this.s.foldExecution.run(r.slice(1, RECORD_DEFINITION) as JournalRow);
        this.seq = r[0];
      }
      this.s.setMeta.run("journalSeq", String(this.seq));
    })();
    this.journal.clear();
  }
  /**
   * Runs `fn` in one transaction (all or nothing, durable on commit); inside another transaction
   * it simply joins it. Prepared BEGIN/COMMIT: `db.transaction(fn)` builds a wrapper per call.
   */
  tx<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    this.s.begin.run();
    // Journaled records go first, so SQLite receives every write in the order it was made (the
    // background folder instead commits them on its own: they are rows nothing else writes).
    const folding = this.pending.size > 0 && !this.background;
    let result: T;
    try {
      if (folding) this.writePending();
      result = fn();
    } catch (error) {
      if (this.db.inTransaction) this.s.rollback.run();
      throw error;
    }
    this.s.commit.run();
    if (folding) this.folded();
    return result;
  }

  /**
   * Runs `fn`, whose only writes may be `insertExecution` (and an empty `appendStep`), keeping the
   * rows for `commitCaptured` instead of writing SQL; when `fn` throws, nothing of it is kept.
   */
  capture(fn: () => void): void {
    const rows: ExecutionRow[] = [];
    this.capturing = rows;
    try {
      fn();
    } finally {
      this.capturing = undefined;
    }
    for (const row of rows) this.captured.push(row);
  }

  /**
   * Makes the captured rows durable with one journal append (the group commit of the journal
   * path) and visible to reads at once; they reach SQLite at the next fold. Throws, keeping
   * nothing, when the append fails.
   */
  commitCaptured(): void {
    const rows = this.captured;
    this.captured = [];
    if (rows.length === 0) return;
    if (this.background) this.dropFolded();
    let lines = "";
    let seq = this.seq;
    let newDefs: Map<string, string> | undefined;
    for (const row of rows) {
      const hash = this.hashOf(row.definition);
      const isNew = !this.knownDefinition(hash) && !newDefs?.has(hash);
      if (isNew) {
        newDefs ??= new Map();
        newDefs.set(hash, row.definition);
      }
      if (this.journal) lines += journalLine(++seq, row, hash, isNew);
      else seq++;
    }
    this.journal?.append(lines);
    this.seq = seq;
    if (newDefs) for (const [hash, text] of newDefs) this.pendingDefs.set(hash, text);
    seq -= rows.length;
    for (const row of rows) {
      this.pending.set(row.arn, row);
      this.pendingSeqs.push([++seq, row.arn]);
    }
    if (this.background) this.folder?.appended(this.seq);
    else this.scheduleFold();
  }

  /**
   * With the background folder: forgets the pending rows it committed, and empties the journal
   * when it is big and every record in it is folded (the folder is idle then, see the worker).
   */
  private dropFolded(): void {
    const folded = this.folder?.folded ?? 0;
    const q = this.pendingSeqs;
    let head = this.pendingHead;
    while (head < q.length && (q[head] as [number, string])[0] <= folded) {
      this.pending.delete((q[head] as [number, string])[1]);
      head++;
    }
    if (head === q.length) {
      q.length = 0;
      head = 0;
      if (folded === this.seq) {
        for (const hash of this.pendingDefs.keys()) this.storedDefs.add(hash);
        this.pendingDefs.clear();
        if (this.journal && this.journal.size >= EMPTY_JOURNAL_AT) {
          this.journal.clear();
          this.folder?.emptied();
        }
      }
    } else if (head > 4096) {
      q.splice(0, head);
      head = 0;
    }
    this.pendingHead = head;
  }

  /**
   * Brings SQLite up to date with the journal: waits for the background folder, or folds on this
   * thread (one transaction) when there is none or it failed; then the journal can be emptied.
   */
  fold(): void {
    if (this.pending.size === 0 || !this.db.open) return;
    if (this.background && this.folder?.waitFolded(this.seq)) {
      this.dropFolded();
      return;
    }
    this.tx(() => undefined);
  }

  private scheduleFold(): void {
    const big =
      this.pending.size >= FOLD_ROWS ||
      (this.journal !== undefined && this.journal.size >= FOLD_BYTES);
    // Inline, not deferred: a caller that never yields to the event loop still pays for its folds.
    if (big) this.foldLater();
    else if (!this.foldTimer) {
      this.foldTimer = setTimeout(() => this.foldLater(), FOLD_MS);
      this.foldTimer.unref();
    }
  }

  /** A fold off the callers' path; when it fails the records stay journaled for the next one. */
  private foldLater(): void {
    clearTimeout(this.foldTimer);
    this.foldTimer = undefined;
    try {
      this.fold();
    } catch {
      // Still durable in the journal; the next transaction folds them (and reports its error).
      if (this.db.open) this.scheduleFold();
    }
  }

  /** Inside the fold's transaction: the pending definitions and rows, and the journal position. */
  private writePending(): void {
    for (const [hash, text] of this.pendingDefs) this.s.insertDefinition.run(hash, text);
    for (const row of this.pending.values()) {
      this.s.foldExecution.run(journalRow(row, this.hashOf(row.definition)));
    }
    this.s.setMeta.run("journalSeq", String(this.seq));
  }

  /** After the fold committed: SQLite has every record, so the journal can be emptied. */
  private folded(): void {
    for (const hash of this.pendingDefs.keys()) this.storedDefs.add(hash);
    this.pendingDefs.clear();
    this.pending.clear();
    this.pendingSeqs.length = 0;
    this.pendingHead = 0;
    if (this.journal?.size) {
      this.journal.clear();
      this.folder?.emptied();
    }
    clearTimeout(this.foldTimer);
    this.foldTimer = undefined;
  }

  /** The hash naming `text` (cached: the same few definitions start every execution). */
  private hashOf(text: string): string {
    let hash = this.hashes.get(text);
    if (hash === undefined) {
      hash = definitionHash(text);
      if (this.hashes.size >= 256) this.hashes.clear();
      this.hashes.set(text, hash);
      this.texts.set(hash, text);
    }
    return hash;
  }

  /** Whether SQLite or the journal already holds the definition `hash` (outside transactions). */
  private knownDefinition(hash: string): boolean {
    if (this.storedDefs.has(hash) || this.pendingDefs.has(hash)) return true;
    if (this.db.inTransaction || !this.s.getDefinition.get(hash)) return false;
    this.storedDefs.add(hash);
    return true;
  }

  /** A definition's text by hash; throws when the data directory lost it (it never should). */
  private definitionText(hash: string): string {
    const text =
      this.texts.get(hash) ?? this.pendingDefs.get(hash) ?? this.s.getDefinition.get(hash)?.text;
    if (text === undefined) throw new Error(`the definition ${hash} is missing from the store`);
    if (this.texts.size >= 256) this.texts.clear();
    this.texts.set(hash, text);
    return text;
  }

  /** A row read from SQLite, with its definition text in place of its hash. */
  private resolved(row: ExecutionRow): ExecutionRow {
    if (row.definition_hash) row.definition = this.definitionText(row.definition_hash);
    return row;
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

  /** (A field, not `db.open`: a native getter, asked on every commit.) */
  get isOpen(): boolean {
    return !this.closed;
  }

  /** Folds the journal into SQLite (what fails stays journaled for the next open) and closes. */
  close(): void {
    this.closed = true;
    if (this.db.open) {
      try {
        this.fold();
      } finally {
        clearTimeout(this.foldTimer);
        this.folder?.stop();
        this.journal?.close();
        this.db.close();
      }
    }
  }

  meta(key: string, create: () => string): string {
    const row = this.s.getMeta.get(key);
    if (row) return row.value;
    this.s.putMeta.run(key, create());
    return (this.s.getMeta.get(key) as { value: string }).value;
  }

  // state machines: every start reads its machine, so reads are cached; writes drop the entry
  // (a rolled-back write then simply reads SQLite again)
  /** A machine row already in the read cache (no SQLite), else undefined. */
  cachedMachine(arn: string): StateMachineRow | undefined {
    return this.machines.get(arn);
  }
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
    const hit = this.pending.get(arn);
    if (hit) return hit;
    const row = this.s.getExecution.get(arn);
    return row && this.resolved(row);
  }
  /**
   * Inserts a whole row: a start that already ran to its end is stored finished in one write
   * (inside `capture`, a journal record). The definition is stored once, by hash.
   */
  insertExecution(row: ExecutionRow): void {
    if (this.capturing) {
      this.capturing.push(row);
      return;
    }
    const hash = this.hashOf(row.definition);
    // Only a committed fold or a read outside a transaction proves the definition is stored: a
    // rolled-back step may have carried the first copy.
    if (!this.storedDefs.has(hash)) this.s.insertDefinition.run(hash, row.definition);
    this.s.insertExecution.run(journalRow(row, hash));
  }
  /** Writes a row's mutable fields (status, result, counters) as the caller holds them. */
  updateExecution(row: ExecutionRow): void {
    this.notCapturing("updateExecution");
    this.s.updateExecution.run(row);
  }
  /** Cancels the pending timers and open tasks of an execution that ended. */
  cancelOpenWork(arn: string): void {
    this.notCapturing("cancelOpenWork");
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
    this.fold();
    return this.db
      .prepare<unknown[], ExecutionRow>(sql)
      .all(...args, filter.limit, filter.offset)
      .map((row) => this.resolved(row));
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
    if (event || history.length > 0) this.notCapturing("appendStep");
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

  /** The journal holds execution rows only: any other write while capturing is a bug. */
  private notCapturing(what: string): void {
    if (this.capturing) throw new Error(`${what} cannot be journaled; write it in a transaction`);
  }

  // timers
  armTimer(arn: string, id: string, at: number): void {
    this.notCapturing("armTimer");
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
    this.notCapturing("addTask");
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

/** The columns of a row as the journal and the insert statements take them. */
function journalRow(r: ExecutionRow, hash: string): JournalRow {
  return [
    r.arn,
    r.name,
    r.machine_arn,
    r.machine_type,
    hash,
    r.role_arn,
    r.input,
    r.status,
    r.output,
    r.error,
    r.cause,
    r.start_ms,
    r.stop_ms,
    r.seed,
    r.next_seq,
    r.history_count,
    r.version_arn,
    r.history_replay,
  ];
}

/**
 * A journal record: its number and the row's columns separated by U+001F, then U+001E and a
 * newline. JSON texts (input, output) and validated names, ARNs and hex cannot contain either
 * control character, so they go in raw, without a second round of escaping (the format's point:
 * JSON-encoding a row with its input and output strings cost as much as writing it); free-form
 * strings (role, error, cause, the definition) are JSON-encoded. `fold-worker.cjs` reads the same.
 */
function journalLine(seq: number, r: ExecutionRow, hash: string, withDefinition: boolean): string {
  let line = `${seq}\x1f${r.arn}\x1f${r.name}\x1f${r.machine_arn}\x1f${r.machine_type}\x1f${hash}\x1f${JSON.stringify(r.role_arn)}\x1f${r.input}\x1f${r.status}\x1f${r.output ?? ""}\x1f${JSON.stringify(r.error)}\x1f${JSON.stringify(r.cause)}\x1f${r.start_ms}\x1f${r.stop_ms ?? ""}\x1f${r.seed}\x1f${r.next_seq}\x1f${r.history_count}\x1f${r.version_arn ?? ""}\x1f${r.history_replay}`;
  if (withDefinition) line += `\x1f${JSON.stringify(r.definition)}`;
  return `${line}\x1e\n`;
}
