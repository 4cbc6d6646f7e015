/** Pending timers in a map per execution; `after` sorts them (few are pending in memory runs). */
import type { TimerCursor, TimerRow } from "../rows.ts";
import type { TimerStore } from "../store.ts";
import type { UndoLog } from "./undo-log.ts";

export class MemoryTimers implements TimerStore {
  private readonly byExecution = new Map<number, Map<string, number>>();

  constructor(
    private readonly undo: UndoLog,
    private readonly arnOf: (execId: number) => string,
  ) {}

  arm(execId: number, timerId: string, fireAt: number): void {
    let timers = this.byExecution.get(execId);
    if (!timers) {
      timers = new Map();
      this.byExecution.set(execId, timers);
    }
    const before = timers.get(timerId);
    timers.set(timerId, fireAt);
    this.restoreLater(execId, timerId, before);
  }

  remove(execId: number, timerId: string): boolean {
    const timers = this.byExecution.get(execId);
    const before = timers?.get(timerId);
    if (before === undefined) return false;
    timers?.delete(timerId);
    this.restoreLater(execId, timerId, before);
    return true;
  }

  removeAll(execId: number): void {
    const timers = this.byExecution.get(execId);
    if (!timers) return;
    this.byExecution.delete(execId);
    this.undo.record(() => this.byExecution.set(execId, timers));
  }

  after(cursor: TimerCursor | undefined, limit: number): TimerRow[] {
    const rows: TimerRow[] = [];
    for (const [execId, timers] of this.byExecution) {
      for (const [timerId, fireAt] of timers) {
        const row = {
          exec_id: execId,
          arn: this.arnOf(execId),
          timer_id: timerId,
          fire_at: fireAt,
        };
        if (!cursor || compare(row, cursor) > 0) rows.push(row);
      }
    }
    return rows.sort(compare).slice(0, limit);
  }

  of(execId: number): TimerRow[] {
    const timers = this.byExecution.get(execId);
    if (!timers) return [];
    const arn = this.arnOf(execId);
    return [...timers]
      .map(([timer_id, fire_at]) => ({ exec_id: execId, arn, timer_id, fire_at }))
      .sort(compare);
  }

  private restoreLater(execId: number, timerId: string, before: number | undefined): void {
    if (!this.undo.active) return;
    this.undo.record(() => {
      const timers = this.byExecution.get(execId);
      if (before === undefined) timers?.delete(timerId);
      else if (timers) timers.set(timerId, before);
      else this.byExecution.set(execId, new Map([[timerId, before]]));
    });
  }
}

/** Firing order: time, then execution, then timer id (as the SQLite index sorts them). */
function compare(a: TimerCursor, b: TimerCursor): number {
  return (
    a.fire_at - b.fire_at ||
    a.exec_id - b.exec_id ||
    (a.timer_id < b.timer_id ? -1 : a.timer_id > b.timer_id ? 1 : 0)
  );
}
