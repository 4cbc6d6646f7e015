/**
 * Opens data directories of the earlier layout (executions keyed by ARN, `engine_events` and
 * `step_history` apart, `timers`/`tasks` by ARN, and the redo journal `sfn.journal` of one-step
 * executions): converted once, in one transaction, on the first open. Nothing is dropped:
 *
 * - records still pending in `sfn.journal` (numbered above `meta.journalSeq`) become execution
 *   rows first, as the earlier runtime would have folded them (a torn last record was never
 *   acknowledged and is skipped);
 * - executions keep their number (the old rowid); engine events and history become step records;
 * - executions stored without a history (`history_replay = 1`: the earlier runtime rebuilt it by
 *   replay on every read) are listed in `histories_to_rebuild`; the runtime rebuilds each once
 *   and stores it;
 * - pending timers stay pending; tasks that were waiting keep waiting; tasks that were being
 *   invoked mark their execution `invoking`, so they are invoked again, as before.
 *
 * The journal file is deleted once the converted layout is committed.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import type Database from "better-sqlite3";
import { definitionHash } from "./definitions.ts";
import { LAYOUT, SCHEMA } from "./schema.ts";

/** The journal file of the earlier layout, beside `sfn.sqlite`. */
export const LEGACY_JOURNAL = "sfn.journal";

/** Earlier history tables, folded into `step_history` before the conversion. */
const HISTORY_TABLES: Record<string, string> = {
  history: `INSERT OR IGNORE INTO step_history (execution_arn, first_id, last_id, events)
    SELECT execution_arn, id, id, '[' || event || ']' FROM history; DROP TABLE history;`,
  history_steps: `INSERT OR IGNORE INTO step_history (execution_arn, first_id, last_id, events)
    SELECT execution_arn, first_id, last_id, events FROM history_steps; DROP TABLE history_steps;`,
};

/** Whether `db` holds the earlier layout (an `executions` table without numbered rows). */
export function isLegacyLayout(db: Database.Database): boolean {
  const columns = db.prepare<[], { name: string }>("PRAGMA table_info(executions)").all();
  return columns.length > 0 && !columns.some((c) => c.name === "id");
}

/** Converts the earlier layout in place (one transaction), then deletes the journal file. */
export function upgradeLegacyLayout(db: Database.Database, journalFile?: string): void {
  db.transaction(() => {
    prepareOldTables(db);
    if (journalFile) foldJournal(db, journalFile);
    convert(db);
  })();
  if (journalFile) rmSync(journalFile, { force: true });
}

/** Brings every variant of the earlier layout to its last form. */
function prepareOldTables(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS definitions (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS engine_events (execution_arn TEXT NOT NULL, seq INTEGER NOT NULL,
      event TEXT NOT NULL, PRIMARY KEY (execution_arn, seq)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS step_history (execution_arn TEXT NOT NULL, first_id INTEGER NOT NULL,
      last_id INTEGER NOT NULL, events TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS timers (execution_arn TEXT NOT NULL, timer_id TEXT NOT NULL,
      fire_at INTEGER NOT NULL, state TEXT NOT NULL, PRIMARY KEY (execution_arn, timer_id));
    CREATE TABLE IF NOT EXISTS tasks (execution_arn TEXT NOT NULL, task_id TEXT NOT NULL,
      state_name TEXT NOT NULL, resource TEXT NOT NULL, input TEXT NOT NULL, token TEXT,
      status TEXT NOT NULL, child_arn TEXT, PRIMARY KEY (execution_arn, task_id));`);
  const hasTable = db.prepare<[string], { n: number }>(
    "SELECT 1 AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
  );
  for (const [table, sql] of Object.entries(HISTORY_TABLES)) if (hasTable.get(table)) db.exec(sql);
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
}

/**
 * Inserts the journal's records numbered above `meta.journalSeq`. A record: its number, then the
 * row's columns separated by U+001F (role, error, cause and a new definition JSON-encoded; input,
 * output and names raw), ended by U+001E and a newline.
 */
function foldJournal(db: Database.Database, file: string): void {
  if (!existsSync(file)) return;
  const folded = Number(
    db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'journalSeq'").get()
      ?.value ?? 0,
  );
  const insertDefinition = db.prepare(
    "INSERT OR IGNORE INTO definitions (hash, text) VALUES (?, ?)",
  );
  const insertRow = db.prepare(
    `INSERT OR IGNORE INTO executions (arn, name, machine_arn, machine_type, definition,
     definition_hash, role_arn, input, status, output, error, cause, start_ms, stop_ms, seed,
     next_seq, history_count, version_arn, history_replay)
     VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const text = readFileSync(file, "utf8");
  for (let from = 0; ; ) {
    const end = text.indexOf("\x1e\n", from);
    if (end < 0) break; // a torn tail: never acknowledged
    const f = text.slice(from, end).split("\x1f");
    from = end + 2;
    if (f.length !== 19 && f.length !== 20) break;
    if (Number(f[0]) <= folded) continue;
    const orNull = (v: string | undefined) => (v === "" || v === undefined ? null : v);
    if (f.length === 20) insertDefinition.run(f[5], JSON.parse(f[19] as string));
    insertRow.run(
      f[1],
      f[2],
      f[3],
      f[4],
      f[5],
      JSON.parse(f[6] as string),
      f[7],
      f[8],
      orNull(f[9]),
      JSON.parse(f[10] as string),
      JSON.parse(f[11] as string),
      Number(f[12]),
      f[13] === "" ? null : Number(f[13]),
      f[14],
      Number(f[15]),
      Number(f[16]),
      orNull(f[17]),
      Number(f[18]),
    );
  }
}

/** The earlier tables into the current ones, in SQL, keeping every execution's number. */
function convert(db: Database.Database): void {
  // Definitions of rows that still hold their text, by hash.
  const texts = db
    .prepare<[], { definition: string }>(
      "SELECT DISTINCT definition FROM executions WHERE definition_hash IS NULL",
    )
    .all();
  const insertDefinition = db.prepare(
    "INSERT OR IGNORE INTO definitions (hash, text) VALUES (?, ?)",
  );
  const setHash = db.prepare(
    "UPDATE executions SET definition_hash = ? WHERE definition_hash IS NULL AND definition = ?",
  );
  for (const { definition } of texts) {
    const hash = definitionHash(definition);
    insertDefinition.run(hash, definition);
    setHash.run(hash, definition);
  }
  db.exec(`
    ALTER TABLE executions RENAME TO old_executions;
    ALTER TABLE timers RENAME TO old_timers;
    DROP INDEX IF EXISTS executions_by_machine;
    DROP INDEX IF EXISTS executions_by_status;
    DROP INDEX IF EXISTS executions_running;
    DROP INDEX IF EXISTS timers_pending;
    ${SCHEMA}
    INSERT INTO executions (id, arn, name, machine_arn, machine_type, definition_hash, role_arn,
      input, status, output, error, cause, start_ms, stop_ms, seed, version_arn, invoking)
    SELECT rowid, arn, name, machine_arn, machine_type, definition_hash, role_arn, input, status,
      output, error, cause, start_ms, stop_ms, seed, version_arn,
      EXISTS (SELECT 1 FROM tasks t WHERE t.execution_arn = o.arn AND t.status = 'running')
    FROM old_executions o ORDER BY rowid;
    INSERT INTO histories_to_rebuild (exec_id)
      SELECT e.id FROM old_executions o JOIN executions e ON e.arn = o.arn
      WHERE o.history_replay = 1;
    INSERT INTO steps (exec_id, n, first_id, last_id, event, history)
      SELECT e.id, ROW_NUMBER() OVER (PARTITION BY h.execution_arn ORDER BY h.first_id) - 1,
        h.first_id, h.last_id, NULL, h.events
      FROM step_history h JOIN executions e ON e.arn = h.execution_arn;
    INSERT INTO steps (exec_id, n, first_id, last_id, event, history)
      SELECT e.id, ROW_NUMBER() OVER (PARTITION BY v.execution_arn ORDER BY v.seq) - 1
          + (SELECT count(*) FROM step_history h WHERE h.execution_arn = v.execution_arn),
        0, -1, v.event, '[]'
      FROM engine_events v JOIN executions e ON e.arn = v.execution_arn;
    INSERT INTO timers (exec_id, timer_id, fire_at)
      SELECT e.id, t.timer_id, t.fire_at FROM old_timers t JOIN executions e ON e.arn = t.execution_arn
      WHERE t.state = 'pending';
    INSERT INTO waits (exec_id, task_id, resource, child_arn)
      SELECT e.id, t.task_id, t.resource, t.child_arn FROM tasks t JOIN executions e ON e.arn = t.execution_arn
      WHERE t.status = 'waiting';
    DROP TABLE old_executions;
    DROP TABLE old_timers;
    DROP TABLE tasks;
    DROP TABLE engine_events;
    DROP TABLE step_history;
    DELETE FROM meta WHERE key = 'journalSeq';
    INSERT OR REPLACE INTO meta (key, value) VALUES ('layout', '${LAYOUT}');
  `);
}
