/** Tasks waiting for a token or a child execution, in a map per execution. */
import type { WaitingTask, WaitRow } from "../rows.ts";
import type { WaitStore } from "../store.ts";
import type { UndoLog } from "./undo-log.ts";

export class MemoryWaits implements WaitStore {
  private readonly byExecution = new Map<number, Map<string, WaitRow>>();

  constructor(
    private readonly undo: UndoLog,
    private readonly arnOf: (execId: number) => string,
  ) {}

  add(row: WaitRow): void {
    let waits = this.byExecution.get(row.exec_id);
    if (!waits) {
      waits = new Map();
      this.byExecution.set(row.exec_id, waits);
    }
    const before = waits.get(row.task_id);
    waits.set(row.task_id, { ...row });
    this.restoreLater(row.exec_id, row.task_id, before);
  }

  remove(execId: number, taskId: string): void {
    const before = this.byExecution.get(execId)?.get(taskId);
    if (!before) return;
    this.byExecution.get(execId)?.delete(taskId);
    this.restoreLater(execId, taskId, before);
  }

  removeAll(execId: number): void {
    const waits = this.byExecution.get(execId);
    if (!waits) return;
    this.byExecution.delete(execId);
    this.undo.record(() => this.byExecution.set(execId, waits));
  }

  of(execId: number): WaitRow[] {
    return [...(this.byExecution.get(execId)?.values() ?? [])].sort(byTask);
  }

  onChild(childArn: string): WaitingTask[] {
    return this.all((w) => w.child_arn === childArn);
  }

  withChildren(): WaitingTask[] {
    return this.all((w) => w.child_arn !== null);
  }

  private all(keep: (w: WaitRow) => boolean): WaitingTask[] {
    const out: WaitingTask[] = [];
    for (const waits of this.byExecution.values()) {
      for (const w of waits.values()) if (keep(w)) out.push({ ...w, arn: this.arnOf(w.exec_id) });
    }
    return out.sort((a, b) => a.exec_id - b.exec_id || byTask(a, b));
  }

  private restoreLater(execId: number, taskId: string, before: WaitRow | undefined): void {
    if (!this.undo.active) return;
    this.undo.record(() => {
      let waits = this.byExecution.get(execId);
      if (!waits) {
        waits = new Map();
        this.byExecution.set(execId, waits);
      }
      if (before) waits.set(taskId, before);
      else waits.delete(taskId);
    });
  }
}

function byTask(a: WaitRow, b: WaitRow): number {
  return a.task_id < b.task_id ? -1 : a.task_id > b.task_id ? 1 : 0;
}
