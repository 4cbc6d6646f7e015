/**
 * The SQLite layout (version 2: executions numbered, one record per step). Step records, timers
 * and waits refer to an execution by its number, not its ARN: a few bytes instead of a hundred in
 * every row and index entry, which is most of the disk a waiting execution costs.
 *
 * A record is an engine event and the AWS history events it produced (`history-codec.ts`). The
 * start record (no event) sits in the execution's row (`history`): an execution that ends in its
 * first step is one row, one B-tree insert. The others are rows of `steps` in the order they were
 * written (a group commit appends to the end of the table, whichever executions it holds, instead
 * of touching a page per execution), found through `(exec_id, n)`; `first_id`/`last_id` locate
 * their events for paging.
 * (Executions converted from the earlier layout have no start record in their row: all their
 * records are in `steps`, from number 0.)
 */

/** Written to `meta.layout` once the schema below is in place. */
export const LAYOUT = "2";

export const CONNECTION_PRAGMAS = [
  // For a new file only (an existing one keeps its size). A group commit writes every page it
  // touched whole: 16 KiB pages cost a third less per execution than 4 KiB ones here.
  "page_size = 16384",
  "journal_mode = WAL",
  // WAL with synchronous=NORMAL: a commit is in the OS page cache when it returns (survives a
  // crash of the process, not of the machine); see local/sfn/README.md, "Durability".
  "synchronous = NORMAL",
  // 2,000 pages (32 MiB) of WAL between checkpoints: each one copies pages to the database and
  // syncs it, and a page written many times in between is copied once.
  "wal_autocheckpoint = 2000",
  // Readers in other processes (tests, a second look at the file) wait instead of failing.
  "busy_timeout = 5000",
];

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state_machines (
  arn TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, definition TEXT NOT NULL,
  role_arn TEXT NOT NULL, description TEXT, created_ms INTEGER NOT NULL, updated_ms INTEGER,
  revision INTEGER NOT NULL, revision_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state_machine_versions (
  arn TEXT PRIMARY KEY, machine_arn TEXT NOT NULL, version INTEGER NOT NULL,
  definition TEXT NOT NULL, role_arn TEXT NOT NULL, description TEXT, created_ms INTEGER NOT NULL,
  revision_id TEXT NOT NULL);
-- Definitions by content hash: an execution names its definition instead of copying it.
CREATE TABLE IF NOT EXISTS definitions (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS executions (
  id INTEGER PRIMARY KEY, arn TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  machine_arn TEXT NOT NULL, machine_type TEXT NOT NULL, definition_hash TEXT NOT NULL,
  role_arn TEXT NOT NULL, input TEXT NOT NULL, status TEXT NOT NULL, output TEXT, error TEXT,
  cause TEXT, start_ms INTEGER NOT NULL, stop_ms INTEGER, seed TEXT NOT NULL, version_arn TEXT,
  invoking INTEGER NOT NULL DEFAULT 0, history TEXT);
CREATE INDEX IF NOT EXISTS executions_by_machine ON executions(machine_arn, start_ms);
-- Partial: only executions with a task mid-invocation are in it (few, whatever the total).
CREATE INDEX IF NOT EXISTS executions_invoking ON executions(invoking) WHERE invoking = 1;
CREATE TABLE IF NOT EXISTS steps (
  seq INTEGER PRIMARY KEY, exec_id INTEGER NOT NULL, n INTEGER NOT NULL, first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL, event TEXT, history TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS steps_by_execution ON steps(exec_id, n);
CREATE TABLE IF NOT EXISTS timers (
  exec_id INTEGER NOT NULL, timer_id TEXT NOT NULL, fire_at INTEGER NOT NULL,
  PRIMARY KEY (exec_id, timer_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS timers_by_time ON timers(fire_at, exec_id, timer_id);
CREATE TABLE IF NOT EXISTS waits (
  exec_id INTEGER NOT NULL, task_id TEXT NOT NULL, resource TEXT NOT NULL, child_arn TEXT,
  PRIMARY KEY (exec_id, task_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS waits_by_child ON waits(child_arn) WHERE child_arn IS NOT NULL;
-- Local-only settings of an execution (time travel offset, mock test case): local-settings.ts.
CREATE TABLE IF NOT EXISTS execution_local_settings (
  exec_id INTEGER PRIMARY KEY, clock_offset_ms INTEGER NOT NULL, mock_test_case TEXT);
-- Executions of an earlier layout whose history was never stored (rebuilt once, then deleted).
CREATE TABLE IF NOT EXISTS histories_to_rebuild (exec_id INTEGER PRIMARY KEY);
-- Versions and aliases (versions.ts, aliases.ts); the last version number each machine
-- gave, so a deleted version's number is never given again.
CREATE INDEX IF NOT EXISTS versions_by_machine ON state_machine_versions(machine_arn, version);
CREATE TABLE IF NOT EXISTS version_numbers (machine_arn TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS state_machine_aliases (
  arn TEXT PRIMARY KEY, machine_arn TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
  routing TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS aliases_by_machine ON state_machine_aliases(machine_arn, created_ms);
-- The few executions started through an alias or redriven (execution-extras.ts).
CREATE TABLE IF NOT EXISTS execution_extras (
  exec_id INTEGER PRIMARY KEY, alias_arn TEXT, redrive_count INTEGER NOT NULL DEFAULT 0,
  redrive_ms INTEGER);
`;
