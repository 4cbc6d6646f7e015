/** Local-only settings of executions in a map (undone with a failed transaction). */
import type { LocalSettingsRow } from "../rows.ts";
import type { LocalSettingsStore } from "../store.ts";
import type { UndoLog } from "./undo-log.ts";

export class MemoryLocalSettings implements LocalSettingsStore {
  private readonly rows = new Map<number, LocalSettingsRow>();

  constructor(private readonly undo: UndoLog) {}

  all(): LocalSettingsRow[] {
    return [...this.rows.values()].sort((a, b) => a.exec_id - b.exec_id).map((r) => ({ ...r }));
  }

  put(row: LocalSettingsRow): void {
    const before = this.rows.get(row.exec_id);
    this.rows.set(row.exec_id, { ...row });
    this.undo.record(() => {
      if (before) this.rows.set(row.exec_id, before);
      else this.rows.delete(row.exec_id);
    });
  }
}
