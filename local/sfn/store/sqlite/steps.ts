/**
 * Step records in SQLite (`steps`, see `schema.ts`): one row per step, holding the engine event it
 * was fed and the history it produced (`history-codec.ts`), split at `HISTORY_CHUNK` events.
 */
import type Database from "better-sqlite3";
import type { EngineEvent, HistoryEvent } from "../../../asl/types.ts";
import { HISTORY_CHUNK, type StepEvent, type StepStore } from "../store.ts";
import { decodeHistory, encodeHistory } from "./history-codec.ts";

export class SqliteSteps implements StepStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO steps (exec_id, n, first_id, last_id, event, history)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      events: db.prepare<[number], { n: number; event: string | null }>(
        "SELECT n, event FROM steps WHERE exec_id = ? ORDER BY n",
      ),
      after: db.prepare<[number, number], { history: string }>(
        "SELECT history FROM steps WHERE exec_id = ? AND last_id > ? ORDER BY n",
      ),
      before: db.prepare<[number, number], { history: string }>(
        "SELECT history FROM steps WHERE exec_id = ? AND first_id < ? ORDER BY n DESC",
      ),
      start: db.prepare<[number], { history: string | null }>(
        "SELECT history FROM executions WHERE id = ?",
      ),
    };
  }

  append(execId: number, n: number, event: StepEvent, history: HistoryEvent[]): number {
    const eventText = event === undefined ? null : JSON.stringify(event);
    if (history.length <= HISTORY_CHUNK) {
      const first = history[0];
      const firstId = first ? first.id : 0;
      const lastId = first ? (history[history.length - 1] as HistoryEvent).id : -1;
      this.s.insert.run(execId, n, firstId, lastId, eventText, encodeHistory(history));
      return n + 1;
    }
    for (let i = 0; i < history.length; i += HISTORY_CHUNK) {
      const chunk = history.slice(i, i + HISTORY_CHUNK);
      const firstId = (chunk[0] as HistoryEvent).id;
      const lastId = (chunk[chunk.length - 1] as HistoryEvent).id;
      this.s.insert.run(
        execId,
        n,
        firstId,
        lastId,
        i === 0 ? eventText : null,
        encodeHistory(chunk),
      );
      n++;
    }
    return n;
  }

  events(execId: number): { events: EngineEvent[]; next: number } {
    const events: EngineEvent[] = [];
    // With no record in `steps`, only the start record in the row exists (number 0).
    let next = 1;
    for (const row of this.s.events.iterate(execId)) {
      if (row.event !== null) events.push(JSON.parse(row.event) as EngineEvent);
      next = row.n + 1;
    }
    return { events, next };
  }

  historyPage(execId: number, from: number, limit: number, reverse: boolean): HistoryEvent[] {
    const out: HistoryEvent[] = [];
    if (limit <= 0) return out;
    // The start record holds the first events (ids 1 to at most HISTORY_CHUNK): a forward page
    // past them, or a backward page filled before them, never decodes it.
    const startRecord = () => this.s.start.get(execId)?.history ?? null;
    if (!reverse && from < HISTORY_CHUNK) {
      const start = startRecord();
      if (start !== null) take(out, start, from, limit, false);
    }
    if (out.length < limit) {
      const rows = reverse
        ? this.s.before.iterate(execId, from)
        : this.s.after.iterate(execId, from);
      for (const row of rows) {
        // Leaving the loop early resets the statement.
        if (take(out, row.history, from, limit, reverse)) break;
      }
    }
    if (reverse && out.length < limit) {
      const start = startRecord();
      if (start !== null) take(out, start, from, limit, true);
    }
    return out;
  }
}

/** Adds a record's events past `from` to `out`; true once `out` holds `limit`. */
function take(
  out: HistoryEvent[],
  record: string,
  from: number,
  limit: number,
  reverse: boolean,
): boolean {
  const events = decodeHistory(record);
  if (reverse) events.reverse();
  for (const e of events) {
    if (reverse ? e.id >= from : e.id <= from) continue;
    out.push(e);
    if (out.length === limit) return true;
  }
  return false;
}
