/**
 * Execution rows in plain maps, by ARN and by number. Rows are kept as given (the runtime replaces
 * rows rather than changing them), so an in-memory run costs no copies.
 */
import type { HistoryEvent } from "../../../asl/types.ts";
import { StoreConstraintError } from "../../errors.ts";
import type { ExecutionFilter, ExecutionRow } from "../rows.ts";
import type { ExecutionStore } from "../store.ts";
import type { MemorySteps } from "./steps.ts";
import type { UndoLog } from "./undo-log.ts";

export class MemoryExecutions implements ExecutionStore {
  private readonly byArn = new Map<string, ExecutionRow>();
  /** Index = execution number - 1. */
  private readonly byId: ExecutionRow[] = [];

  constructor(
    private readonly undo: UndoLog,
    private readonly steps: MemorySteps,
  ) {}

  get(arn: string): ExecutionRow | undefined {
    return this.byArn.get(arn);
  }

  /** By number (timers and waits refer to executions by it). */
  byNumber(id: number): ExecutionRow | undefined {
    return this.byId[id - 1];
  }

  insert(row: ExecutionRow, start: HistoryEvent[]): number {
    if (this.byArn.has(row.arn)) throw new StoreConstraintError(`execution ${row.arn} exists`);
    row.id = this.byId.length + 1;
    this.byId.push(row);
    this.byArn.set(row.arn, row);
    if (this.undo.active) {
      this.undo.record(() => {
        this.byId.pop();
        this.byArn.delete(row.arn);
      });
    }
    return this.steps.append(row.id, 0, undefined, start);
  }

  update(row: ExecutionRow): void {
    const before = this.byId[row.id - 1];
    if (!before) return;
    this.byId[row.id - 1] = row;
    this.byArn.set(row.arn, row);
    if (this.undo.active) {
      this.undo.record(() => {
        this.byId[row.id - 1] = before;
        this.byArn.set(before.arn, before);
      });
    }
  }

  list(filter: ExecutionFilter): ExecutionRow[] {
    const out: ExecutionRow[] = [];
    for (const row of this.byId) {
      if (
        filter.machineArn &&
        row.machine_arn !== filter.machineArn &&
        row.version_arn !== filter.machineArn
      )
        continue;
      if (filter.status && row.status !== filter.status) continue;
      out.push(row);
    }
    out.sort((a, b) => b.start_ms - a.start_ms || b.id - a.id);
    return out.slice(filter.offset, filter.offset + filter.limit);
  }

  invoking(): ExecutionRow[] {
    return this.byId.filter((row) => row.invoking === 1);
  }
}
