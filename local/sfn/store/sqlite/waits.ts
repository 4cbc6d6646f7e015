/**
 * Tasks waiting for their task token or their child execution, in SQLite. A row is added when the
 * task's invocation returned and it starts waiting, and deleted with the step that ends the wait.
 */
import type Database from "better-sqlite3";
import type { WaitingTask, WaitRow } from "../rows.ts";
import type { WaitStore } from "../store.ts";

export class SqliteWaits implements WaitStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      add: db.prepare(
        `INSERT OR REPLACE INTO waits (exec_id, task_id, resource, child_arn)
         VALUES (@exec_id, @task_id, @resource, @child_arn)`,
      ),
      remove: db.prepare("DELETE FROM waits WHERE exec_id = ? AND task_id = ?"),
      removeAll: db.prepare("DELETE FROM waits WHERE exec_id = ?"),
      of: db.prepare<[number], WaitRow>("SELECT * FROM waits WHERE exec_id = ? ORDER BY task_id"),
      onChild: db.prepare<[string], WaitingTask>(
        `SELECT w.*, e.arn FROM waits w JOIN executions e ON e.id = w.exec_id
         WHERE w.child_arn = ? ORDER BY w.exec_id, w.task_id`,
      ),
      withChildren: db.prepare<[], WaitingTask>(
        `SELECT w.*, e.arn FROM waits w JOIN executions e ON e.id = w.exec_id
         WHERE w.child_arn IS NOT NULL ORDER BY w.exec_id, w.task_id`,
      ),
    };
  }

  add(row: WaitRow): void {
    this.s.add.run(row);
  }
  remove(execId: number, taskId: string): void {
    this.s.remove.run(execId, taskId);
  }
  removeAll(execId: number): void {
    this.s.removeAll.run(execId);
  }
  of(execId: number): WaitRow[] {
    return this.s.of.all(execId);
  }
  onChild(childArn: string): WaitingTask[] {
    return this.s.onChild.all(childArn);
  }
  withChildren(): WaitingTask[] {
    return this.s.withChildren.all();
  }
}
