/**
 * The in-memory store: the same contract as the SQLite store (`contract.test.ts`) in plain
 * JavaScript maps and arrays, with transactions by undo log. Nothing survives the process; it is
 * what tests, `countersign asl run` and the conformance corpus run on.
 */
import type { ExecutionRow } from "../rows.ts";
import type { Store } from "../store.ts";
import { MemoryExecutions } from "./executions.ts";
import { MemoryMachines } from "./machines.ts";
import { MemorySteps } from "./steps.ts";
import { MemoryTimers } from "./timers.ts";
import { UndoLog } from "./undo-log.ts";
import { MemoryWaits } from "./waits.ts";

export class MemoryStore implements Store {
  private readonly undo = new UndoLog();
  readonly machines = new MemoryMachines(this.undo);
  readonly executions = new MemoryExecutions(this.undo);
  readonly steps = new MemorySteps(this.undo);
  readonly timers = new MemoryTimers(this.undo, (id) => this.executions.byNumber(id)?.arn ?? "");
  readonly waits = new MemoryWaits(this.undo, (id) => this.executions.byNumber(id)?.arn ?? "");
  readonly groupCommit = false;
  private readonly metaValues = new Map<string, string>();
  private closed = false;

  get isOpen(): boolean {
    return !this.closed;
  }

  transaction<T>(fn: () => T): T {
    return this.undo.transaction(fn);
  }

  savepoint(fn: () => void): void {
    this.undo.savepoint(fn);
  }

  meta(key: string, create: () => string): string {
    let value = this.metaValues.get(key);
    if (value === undefined) {
      value = create();
      this.metaValues.set(key, value);
    }
    return value;
  }

  historiesToRebuild(): ExecutionRow[] {
    return [];
  }

  historyRebuilt(): void {}

  close(): void {
    this.closed = true;
  }
}
