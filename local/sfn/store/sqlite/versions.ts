/**
 * Published versions of state machines in SQLite (`state_machine_versions`), and the last number
 * each machine gave (`version_numbers`): AWS never gives a deleted version's number again.
 */
import type Database from "better-sqlite3";
import type { VersionRow } from "../rows.ts";
import type { VersionStore } from "../store.ts";

export class SqliteVersions implements VersionStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO state_machine_versions (arn, machine_arn, version, definition, role_arn,
         description, created_ms, revision_id) VALUES (@arn, @machine_arn, @version, @definition,
         @role_arn, @description, @created_ms, @revision_id)`,
      ),
      get: db.prepare<[string], VersionRow>("SELECT * FROM state_machine_versions WHERE arn = ?"),
      list: db.prepare<[string], VersionRow>(
        "SELECT * FROM state_machine_versions WHERE machine_arn = ? ORDER BY version DESC",
      ),
      delete: db.prepare("DELETE FROM state_machine_versions WHERE arn = ?"),
      deleteAll: db.prepare("DELETE FROM state_machine_versions WHERE machine_arn = ?"),
      // A data directory from before the counter has versions but no row here: the larger wins.
      last: db.prepare<[string, string], { last: number | null }>(
        `SELECT MAX(COALESCE((SELECT last FROM version_numbers WHERE machine_arn = ?), 0),
         COALESCE((SELECT MAX(version) FROM state_machine_versions WHERE machine_arn = ?), 0))
         AS last`,
      ),
      setLast: db.prepare(
        "INSERT OR REPLACE INTO version_numbers (machine_arn, last) VALUES (?, ?)",
      ),
      forget: db.prepare("DELETE FROM version_numbers WHERE machine_arn = ?"),
    };
  }

  insert(row: VersionRow): void {
    this.s.insert.run(row);
  }
  get(arn: string): VersionRow | undefined {
    return this.s.get.get(arn);
  }
  list(machineArn: string): VersionRow[] {
    return this.s.list.all(machineArn);
  }
  delete(arn: string): void {
    this.s.delete.run(arn);
  }
  takeNumber(machineArn: string): number {
    const next = (this.s.last.get(machineArn, machineArn)?.last ?? 0) + 1;
    this.s.setLast.run(machineArn, next);
    return next;
  }
  deleteAll(machineArn: string): void {
    this.s.deleteAll.run(machineArn);
    this.s.forget.run(machineArn);
  }
}
