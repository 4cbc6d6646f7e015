/**
 * The durable store: SQLite through better-sqlite3 (WAL, synchronous=NORMAL) in
 * `<dataDir>/sfn.sqlite`, or in SQLite's memory. One connection, one writer: one runtime per data
 * directory. The parts by concern live beside this file; this one opens the database (checked
 * first, `integrity.ts`; converting an earlier layout, `legacy.ts`), owns the transaction scheme,
 * and keeps the files checkpointed and backed up (`checkpointer.ts`, `backup.ts`).
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { ExecutionRow } from "../rows.ts";
import type { Store } from "../store.ts";
import { SqliteAliases } from "./aliases.ts";
import { DEFAULT_BACKUPS, type RunningBackup, takeBackup } from "./backup.ts";
import { Checkpointer } from "./checkpointer.ts";
import { Definitions } from "./definitions.ts";
import { SqliteExecutionExtras } from "./execution-extras.ts";
import { SqliteExecutions } from "./executions.ts";
import { verifyDataDir } from "./integrity.ts";
import { isLegacyLayout, LEGACY_JOURNAL, upgradeLegacyLayout } from "./legacy.ts";
import { SqliteLocalSettings } from "./local-settings.ts";
import { SqliteMachines } from "./machines.ts";
import { CONNECTION_PRAGMAS, LAYOUT, SCHEMA } from "./schema.ts";
import { DB_FILE } from "./state-file.ts";
import { SqliteSteps } from "./steps.ts";
import { SqliteTimers } from "./timers.ts";
import { SqliteVersions } from "./versions.ts";
import { SqliteWaits } from "./waits.ts";

export interface SqliteStoreOptions {
  /** Backups kept in `<dataDir>/backups` (one taken at each start; 0: none). Default 3. */
  backups?: number;
  /** Failures of background work (a backup that could not be written). */
  onError?: (error: unknown) => void;
  /** The command line that starts this store, for the recovery commands a damaged store names. */
  startCommand?: string;
}

/**
 * Opens (creating if needed) `<dataDir>/sfn.sqlite` after checking it (`integrity.ts`: a damaged
 * store throws StoreDamagedError and is left untouched), or an in-memory database without a dir.
 */
export function openSqliteStore(dataDir?: string, options: SqliteStoreOptions = {}): SqliteStore {
  if (!dataDir) return new SqliteStore(new Database(":memory:"));
  mkdirSync(dataDir, { recursive: true });
  verifyDataDir(dataDir, options.startCommand);
  const store = new SqliteStore(
    new Database(join(dataDir, DB_FILE)),
    join(dataDir, LEGACY_JOURNAL),
  );
  store.keepFiles(dataDir, options);
  return store;
}

export class SqliteStore implements Store {
  readonly machines: SqliteMachines;
  readonly versions: SqliteVersions;
  readonly aliases: SqliteAliases;
  readonly executions: SqliteExecutions;
  readonly extras: SqliteExecutionExtras;
  readonly steps: SqliteSteps;
  readonly timers: SqliteTimers;
  readonly waits: SqliteWaits;
  readonly localSettings: SqliteLocalSettings;
  readonly groupCommit = true;
  private readonly definitions: Definitions;
  private readonly s;
  private closed = false;
  private checkpointer: Checkpointer | undefined;
  private backup: RunningBackup | undefined;
  /** The backup taken at this start: its path once written (undefined: none, or it failed). */
  backedUp: Promise<string | undefined> = Promise.resolve(undefined);

  constructor(
    readonly db: Database.Database,
    journalFile?: string,
  ) {
    for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
    if (isLegacyLayout(db)) upgradeLegacyLayout(db, journalFile);
    else if (journalFile && existsSync(journalFile)) {
      // Only the earlier layout wrote a journal, and converting that layout folded it.
      rmSync(journalFile, { force: true });
    }
    db.exec(SCHEMA);
    db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('layout', ?)").run(LAYOUT);
    this.definitions = new Definitions(db);
    this.machines = new SqliteMachines(db);
    this.versions = new SqliteVersions(db);
    this.aliases = new SqliteAliases(db);
    this.extras = new SqliteExecutionExtras(db);
    this.steps = new SqliteSteps(db);
    this.executions = new SqliteExecutions(db, this.definitions, this.steps);
    this.timers = new SqliteTimers(db);
    this.waits = new SqliteWaits(db);
    this.localSettings = new SqliteLocalSettings(db);
    this.s = {
      getMeta: db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?"),
      putMeta: db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)"),
      begin: db.prepare("BEGIN IMMEDIATE"),
      commit: db.prepare("COMMIT"),
      rollback: db.prepare("ROLLBACK"),
      savepoint: db.prepare("SAVEPOINT step"),
      release: db.prepare("RELEASE step"),
      rollbackTo: db.prepare("ROLLBACK TO step"),
      toRebuild: db.prepare<[], { arn: string }>(
        `SELECT e.arn FROM histories_to_rebuild r JOIN executions e ON e.id = r.exec_id
         ORDER BY r.exec_id`,
      ),
      rebuilt: db.prepare("DELETE FROM histories_to_rebuild WHERE exec_id = ?"),
    };
  }

  /** (A field, not `db.open`: a native getter, asked on every commit.) */
  get isOpen(): boolean {
    return !this.closed;
  }

  /** Prepared BEGIN/COMMIT: `db.transaction(fn)` would build a wrapper per call. */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    this.s.begin.run();
    let result: T;
    try {
      result = fn();
      this.s.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.s.rollback.run();
      this.definitions.rolledBack();
      throw error;
    }
    this.definitions.committed();
    return result;
  }

  savepoint(fn: () => void): void {
    this.s.savepoint.run();
    try {
      fn();
    } catch (error) {
      this.s.rollbackTo.run();
      this.s.release.run();
      // What the savepoint wrote of definitions is gone; the transaction's other writes are not,
      // but forgetting them only costs an INSERT OR IGNORE later.
      this.definitions.rolledBack();
      throw error;
    }
    this.s.release.run();
  }

  meta(key: string, create: () => string): string {
    const row = this.s.getMeta.get(key);
    if (row) return row.value;
    this.s.putMeta.run(key, create());
    return (this.s.getMeta.get(key) as { value: string }).value;
  }

  historiesToRebuild(): ExecutionRow[] {
    return this.s.toRebuild
      .all()
      .map((r) => this.executions.get(r.arn))
      .filter((row): row is ExecutionRow => row !== undefined);
  }

  historyRebuilt(execId: number): void {
    this.s.rebuilt.run(execId);
  }

  /**
   * For a store in a data directory: periodic checkpoints and the state file (`checkpointer.ts`),
   * and a backup of the state it opened with (`backup.ts`).
   */
  keepFiles(dataDir: string, options: SqliteStoreOptions): void {
    this.checkpointer = new Checkpointer(this.db, dataDir);
    this.checkpointer.start();
    const keep = options.backups ?? DEFAULT_BACKUPS;
    if (keep > 0) {
      this.backup = takeBackup(join(dataDir, DB_FILE), dataDir, keep);
      this.backedUp = this.backup.done.catch((error: unknown) => {
        // Closing the store before the copy finished is not a failure worth reporting.
        if (!this.closed) options.onError?.(error);
        return undefined;
      });
    }
  }

  /** Checkpoints the WAL now and records it, as the timer does every second (tests, tools). */
  checkpoint(): void {
    this.checkpointer?.checkpoint(true);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The backup's connection must be gone before the last checkpoint, or it holds the WAL open.
    await this.backup?.stop();
    this.checkpointer?.beforeClose();
    this.db.close();
    this.checkpointer?.closed();
  }
}
