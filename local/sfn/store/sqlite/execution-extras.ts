/**
 * What a few executions have beyond their row, in SQLite (`execution_extras`): the alias an
 * execution was started through, and how often and when it was last redriven. A table of its own
 * keeps the execution rows (written on every start) as they are.
 */
import type Database from "better-sqlite3";
import type { ExecutionExtras } from "../rows.ts";
import type { ExecutionExtrasStore } from "../store.ts";

export class SqliteExecutionExtras implements ExecutionExtrasStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare<[number], ExecutionExtras>(
        "SELECT * FROM execution_extras WHERE exec_id = ?",
      ),
      setAlias: db.prepare(
        `INSERT INTO execution_extras (exec_id, alias_arn) VALUES (?, ?)
         ON CONFLICT (exec_id) DO UPDATE SET alias_arn = excluded.alias_arn`,
      ),
      redriven: db.prepare(
        `INSERT INTO execution_extras (exec_id, redrive_count, redrive_ms) VALUES (?, 1, ?)
         ON CONFLICT (exec_id) DO UPDATE SET redrive_count = redrive_count + 1,
         redrive_ms = excluded.redrive_ms`,
      ),
    };
  }

  get(execId: number): ExecutionExtras | undefined {
    return this.s.get.get(execId);
  }
  setAlias(execId: number, aliasArn: string): void {
    this.s.setAlias.run(execId, aliasArn);
  }
  redriven(execId: number, at: number): void {
    this.s.redriven.run(execId, at);
  }
}
