/**
 * State machines in SQLite (their versions and aliases: `versions.ts`, `aliases.ts`). Every start reads its machine, so reads
 * go through a small cache; a write drops the entry (a rolled-back write then reads SQLite again).
 */
import type Database from "better-sqlite3";
import { Lru } from "../../lru.ts";
import type { StateMachineRow } from "../rows.ts";
import type { MachineStore } from "../store.ts";

export class SqliteMachines implements MachineStore {
  private readonly cache = new Lru<string, StateMachineRow>(1024);
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare<[string], StateMachineRow>("SELECT * FROM state_machines WHERE arn = ?"),
      insert: db.prepare(
        `INSERT INTO state_machines (arn, name, type, definition, role_arn, description, created_ms,
         updated_ms, revision, revision_id) VALUES (@arn, @name, @type, @definition, @role_arn,
         @description, @created_ms, @updated_ms, @revision, @revision_id)`,
      ),
      update: db.prepare(
        `UPDATE state_machines SET definition = @definition, role_arn = @role_arn,
         description = @description, updated_ms = @updated_ms, revision = @revision,
         revision_id = @revision_id WHERE arn = @arn`,
      ),
      delete: db.prepare("DELETE FROM state_machines WHERE arn = ?"),
      list: db.prepare<[], StateMachineRow>("SELECT * FROM state_machines ORDER BY arn"),
    };
  }

  get(arn: string): StateMachineRow | undefined {
    const hit = this.cache.get(arn);
    if (hit) return hit;
    const row = this.s.get.get(arn);
    if (row) this.cache.set(arn, row);
    return row;
  }
  insert(row: StateMachineRow): void {
    this.cache.delete(row.arn);
    this.s.insert.run(row);
  }
  update(row: StateMachineRow): void {
    this.cache.delete(row.arn);
    this.s.update.run(row);
  }
  delete(arn: string): void {
    this.cache.delete(arn);
    this.s.delete.run(arn);
  }
  list(): StateMachineRow[] {
    return this.s.list.all();
  }
}
