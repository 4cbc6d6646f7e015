/**
 * The in-memory store: the same contract as the SQLite store (`contract.test.ts`) in plain
 * JavaScript maps and arrays, with transactions by undo log. Nothing survives the process; it is
 * what tests, `countersign asl run` and the conformance corpus run on.
 */
import type { ExecutionRow } from "../rows.ts";
import type { Store } from "../store.ts";
import { MemoryAliases } from "./aliases.ts";
import { MemoryExecutionExtras } from "./execution-extras.ts";
import { MemoryExecutions } from "./executions.ts";
import { MemoryLocalSettings } from "./local-settings.ts";
import { MemoryMachines } from "./machines.ts";
import { MemorySteps } from "./steps.ts";
import { MemoryTimers } from "./timers.ts";
import { UndoLog } from "./undo-log.ts";
import { MemoryVersions } from "./versions.ts";
import { MemoryWaits } from "./waits.ts";

export class MemoryStore implements Store {
  private readonly undo = new UndoLog();
  readonly steps = new MemorySteps(this.undo);
  readonly executions = new MemoryExecutions(this.undo, this.steps);
  readonly groupCommit = false;
  // Made on first use: a one-off run (`runToCompletion`) never needs most of them.
  private machineStore: MemoryMachines | undefined;
  private versionStore: MemoryVersions | undefined;
  private aliasStore: MemoryAliases | undefined;
  private extraStore: MemoryExecutionExtras | undefined;
  private timerStore: MemoryTimers | undefined;
  private waitStore: MemoryWaits | undefined;
  private settingsStore: MemoryLocalSettings | undefined;
  private metaValues: Map<string, string> | undefined;
  private closed = false;

  get machines(): MemoryMachines {
    this.machineStore ??= new MemoryMachines(this.undo);
    return this.machineStore;
  }

  get versions(): MemoryVersions {
    this.versionStore ??= new MemoryVersions(this.undo);
    return this.versionStore;
  }

  get aliases(): MemoryAliases {
    this.aliasStore ??= new MemoryAliases(this.undo);
    return this.aliasStore;
  }

  get extras(): MemoryExecutionExtras {
    this.extraStore ??= new MemoryExecutionExtras(this.undo);
    return this.extraStore;
  }

  get timers(): MemoryTimers {
    this.timerStore ??= new MemoryTimers(this.undo, (id) => this.arnOf(id));
    return this.timerStore;
  }

  get waits(): MemoryWaits {
    this.waitStore ??= new MemoryWaits(this.undo, (id) => this.arnOf(id));
    return this.waitStore;
  }

  get localSettings(): MemoryLocalSettings {
    this.settingsStore ??= new MemoryLocalSettings(this.undo);
    return this.settingsStore;
  }

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
    this.metaValues ??= new Map();
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

  async close(): Promise<void> {
    this.closed = true;
  }

  private arnOf(execId: number): string {
    return this.executions.byNumber(execId)?.arn ?? "";
  }
}
