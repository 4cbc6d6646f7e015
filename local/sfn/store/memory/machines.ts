/** State machines in plain maps (their versions and aliases: `versions.ts`, `aliases.ts`). */
import { StoreConstraintError } from "../../errors.ts";
import type { StateMachineRow } from "../rows.ts";
import type { MachineStore } from "../store.ts";
import type { UndoLog } from "./undo-log.ts";

export class MemoryMachines implements MachineStore {
  private readonly machines = new Map<string, StateMachineRow>();

  constructor(private readonly undo: UndoLog) {}

  get(arn: string): StateMachineRow | undefined {
    return this.machines.get(arn);
  }
  insert(row: StateMachineRow): void {
    if (this.machines.has(row.arn))
      throw new StoreConstraintError(`state machine ${row.arn} exists`);
    this.put(row.arn, { ...row });
  }
  update(row: StateMachineRow): void {
    if (this.machines.has(row.arn)) this.put(row.arn, { ...row });
  }
  delete(arn: string): void {
    this.put(arn, undefined);
  }
  list(): StateMachineRow[] {
    return [...this.machines.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }
  private put(arn: string, row: StateMachineRow | undefined): void {
    const before = this.machines.get(arn);
    if (row) this.machines.set(arn, row);
    else this.machines.delete(arn);
    this.undo.record(() => {
      if (before) this.machines.set(arn, before);
      else this.machines.delete(arn);
    });
  }
}
