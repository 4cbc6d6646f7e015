/** What a few executions have beyond their row (an alias, redrives), in a plain map. */
import type { ExecutionExtras } from "../rows.ts";
import type { ExecutionExtrasStore } from "../store.ts";
import { setUndoable, type UndoLog } from "./undo-log.ts";

export class MemoryExecutionExtras implements ExecutionExtrasStore {
  private readonly extras = new Map<number, ExecutionExtras>();

  constructor(private readonly undo: UndoLog) {}

  get(execId: number): ExecutionExtras | undefined {
    return this.extras.get(execId);
  }
  setAlias(execId: number, aliasArn: string): void {
    this.put({ ...this.current(execId), alias_arn: aliasArn });
  }
  redriven(execId: number, at: number): void {
    const now = this.current(execId);
    this.put({ ...now, redrive_count: now.redrive_count + 1, redrive_ms: at });
  }

  private current(execId: number): ExecutionExtras {
    return (
      this.extras.get(execId) ?? {
        exec_id: execId,
        alias_arn: null,
        redrive_count: 0,
        redrive_ms: null,
      }
    );
  }

  private put(row: ExecutionExtras): void {
    setUndoable(this.undo, this.extras, row.exec_id, row);
  }
}
