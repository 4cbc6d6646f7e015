/**
 * Step records in plain arrays: an execution's engine events, and its history as one array of the
 * engine's own event objects (an in-memory run hands that array back as its history).
 */
import type { EngineEvent, HistoryEvent } from "../../../asl/types.ts";
import { recordsFor, type StepEvent, type StepStore } from "../store.ts";
import type { UndoLog } from "./undo-log.ts";

interface Log {
  events: EngineEvent[];
  history: HistoryEvent[];
  next: number;
}

export class MemorySteps implements StepStore {
  private readonly logs = new Map<number, Log>();

  constructor(private readonly undo: UndoLog) {}

  append(execId: number, n: number, event: StepEvent, history: HistoryEvent[]): number {
    let log = this.logs.get(execId);
    const next = n + recordsFor(history.length);
    if (!log) {
      // The first step's array is adopted as is: no copy for a run that ends in one step.
      log = { events: event ? [event] : [], history, next };
      this.logs.set(execId, log);
      if (this.undo.active) this.undo.record(() => this.logs.delete(execId));
      return next;
    }
    const entry = log;
    const before = { events: entry.events.length, history: entry.history.length, next: entry.next };
    if (event) entry.events.push(event);
    for (const e of history) entry.history.push(e);
    entry.next = next;
    if (this.undo.active) {
      this.undo.record(() => {
        entry.events.length = before.events;
        entry.history.length = before.history;
        entry.next = before.next;
      });
    }
    return next;
  }

  events(execId: number): { events: EngineEvent[]; next: number } {
    const log = this.logs.get(execId);
    return log ? { events: [...log.events], next: log.next } : { events: [], next: 1 };
  }

  /** The whole history of an execution (the array the store keeps: do not change it). */
  history(execId: number): HistoryEvent[] {
    return this.logs.get(execId)?.history ?? [];
  }

  historyPage(execId: number, from: number, limit: number, reverse: boolean): HistoryEvent[] {
    const all = this.history(execId);
    const out: HistoryEvent[] = [];
    // Ids are ascending: the first index past `from` (ascending) or before it (descending).
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((all[mid] as HistoryEvent).id <= from) lo = mid + 1;
      else hi = mid;
    }
    if (reverse) {
      for (let i = lo - 1; i >= 0 && out.length < limit; i--) {
        const e = all[i] as HistoryEvent;
        if (e.id < from) out.push(e);
      }
    } else {
      for (let i = lo; i < all.length && out.length < limit; i++) out.push(all[i] as HistoryEvent);
    }
    return out;
  }
}
