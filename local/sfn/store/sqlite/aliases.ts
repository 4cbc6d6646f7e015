/** Aliases of state machines in SQLite (`state_machine_aliases`). */
import type Database from "better-sqlite3";
import type { AliasRow } from "../rows.ts";
import type { AliasStore } from "../store.ts";

export class SqliteAliases implements AliasStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      put: db.prepare(
        `INSERT OR REPLACE INTO state_machine_aliases (arn, machine_arn, name, description,
         routing, created_ms, updated_ms) VALUES (@arn, @machine_arn, @name, @description,
         @routing, @created_ms, @updated_ms)`,
      ),
      get: db.prepare<[string], AliasRow>("SELECT * FROM state_machine_aliases WHERE arn = ?"),
      list: db.prepare<[string], AliasRow>(
        "SELECT * FROM state_machine_aliases WHERE machine_arn = ? ORDER BY created_ms, name",
      ),
      delete: db.prepare("DELETE FROM state_machine_aliases WHERE arn = ?"),
      deleteAll: db.prepare("DELETE FROM state_machine_aliases WHERE machine_arn = ?"),
    };
  }

  put(row: AliasRow): void {
    this.s.put.run(row);
  }
  get(arn: string): AliasRow | undefined {
    return this.s.get.get(arn);
  }
  list(machineArn: string): AliasRow[] {
    return this.s.list.all(machineArn);
  }
  delete(arn: string): void {
    this.s.delete.run(arn);
  }
  deleteAll(machineArn: string): void {
    this.s.deleteAll.run(machineArn);
  }
}
