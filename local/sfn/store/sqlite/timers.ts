/**
 * Pending timers in SQLite, indexed by firing time so the runtime can arm them a window at a time
 * (`TimerStore.after`) instead of holding millions in memory. A fired or cancelled timer's row is
 * deleted in the transaction of the step that fired or cancelled it.
 */
import type Database from "better-sqlite3";
import type { TimerCursor, TimerRow } from "../rows.ts";
import type { TimerStore } from "../store.ts";

const SELECT = `SELECT t.exec_id, e.arn, t.timer_id, t.fire_at
  FROM timers t JOIN executions e ON e.id = t.exec_id`;

export class SqliteTimers implements TimerStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      arm: db.prepare(
        "INSERT OR REPLACE INTO timers (exec_id, timer_id, fire_at) VALUES (?, ?, ?)",
      ),
      remove: db.prepare("DELETE FROM timers WHERE exec_id = ? AND timer_id = ?"),
      removeAll: db.prepare("DELETE FROM timers WHERE exec_id = ?"),
      first: db.prepare<[number], TimerRow>(
        `${SELECT} ORDER BY t.fire_at, t.exec_id, t.timer_id LIMIT ?`,
      ),
      of: db.prepare<[number], TimerRow>(
        `${SELECT} WHERE t.exec_id = ? ORDER BY t.fire_at, t.timer_id`,
      ),
      after: db.prepare<[number, number, string, number], TimerRow>(
        `${SELECT} WHERE (t.fire_at, t.exec_id, t.timer_id) > (?, ?, ?)
         ORDER BY t.fire_at, t.exec_id, t.timer_id LIMIT ?`,
      ),
    };
  }

  arm(execId: number, timerId: string, fireAt: number): void {
    this.s.arm.run(execId, timerId, fireAt);
  }
  remove(execId: number, timerId: string): boolean {
    return this.s.remove.run(execId, timerId).changes > 0;
  }
  removeAll(execId: number): void {
    this.s.removeAll.run(execId);
  }
  after(cursor: TimerCursor | undefined, limit: number): TimerRow[] {
    if (!cursor) return this.s.first.all(limit);
    return this.s.after.all(cursor.fire_at, cursor.exec_id, cursor.timer_id, limit);
  }
  of(execId: number): TimerRow[] {
    return this.s.of.all(execId);
  }
}
