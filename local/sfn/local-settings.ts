/**
 * Per-execution settings that exist only locally, with no field on AWS: how far an execution's
 * clock was moved forward (`time-travel.ts`) and which mock test case it runs (`mock-config/`).
 * They are rows of the store (`LocalSettingsStore`), written in the transaction of the step that
 * sets them, so a restarted runtime keeps them; this class holds them in memory, read once when
 * the runtime opens (only executions that use either feature have a row), so the executor asks
 * for an offset on every step for the price of a map lookup.
 */
import type { LocalSettingsRow, Store } from "./store/index.ts";

export class LocalSettings {
  private rows: Map<number, LocalSettingsRow> | undefined;

  constructor(private readonly store: Store) {}

  /** The execution's row, or undefined when it has none (no offset, no mocks). */
  get(execId: number): LocalSettingsRow | undefined {
    return this.map().get(execId);
  }

  /** Milliseconds added to the runtime's clock for this execution (0 for almost all). */
  offset(execId: number): number {
    return this.map().get(execId)?.clock_offset_ms ?? 0;
  }

  /** Writes a row: call inside the transaction of the step it belongs to, then `remember`. */
  write(row: LocalSettingsRow): void {
    this.store.localSettings.put(row);
  }

  /** Keeps a row the caller has just committed. */
  remember(row: LocalSettingsRow): void {
    this.map().set(row.exec_id, { ...row });
  }

  private map(): Map<number, LocalSettingsRow> {
    if (!this.rows) {
      this.rows = new Map();
      for (const row of this.store.localSettings.all()) this.rows.set(row.exec_id, row);
    }
    return this.rows;
  }
}
