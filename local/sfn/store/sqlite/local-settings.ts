/** Local-only settings of executions in SQLite (`execution_local_settings`, one row each). */
import type Database from "better-sqlite3";
import type { LocalSettingsRow } from "../rows.ts";
import type { LocalSettingsStore } from "../store.ts";

export class SqliteLocalSettings implements LocalSettingsStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      all: db.prepare<[], LocalSettingsRow>(
        "SELECT exec_id, clock_offset_ms, mock_test_case FROM execution_local_settings ORDER BY exec_id",
      ),
      put: db.prepare(
        `INSERT OR REPLACE INTO execution_local_settings (exec_id, clock_offset_ms, mock_test_case)
         VALUES (?, ?, ?)`,
      ),
    };
  }

  all(): LocalSettingsRow[] {
    return this.s.all.all();
  }

  put(row: LocalSettingsRow): void {
    this.s.put.run(row.exec_id, row.clock_offset_ms, row.mock_test_case);
  }
}
