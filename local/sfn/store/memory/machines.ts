/** State machines and their published versions in plain maps. */
import { StoreConstraintError } from "../../errors.ts";
import type { StateMachineRow, VersionRow } from "../rows.ts";
import type { MachineStore } from "../store.ts";
import type { UndoLog } from "./undo-log.ts";

export class MemoryMachines implements MachineStore {
  private readonly machines = new Map<string, StateMachineRow>();
  private readonly versions = new Map<string, VersionRow>();

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
  insertVersion(row: VersionRow): void {
    if (this.versions.has(row.arn)) throw new StoreConstraintError(`version ${row.arn} exists`);
    this.versions.set(row.arn, { ...row });
    this.undo.record(() => this.versions.delete(row.arn));
  }
  getVersion(arn: string): VersionRow | undefined {
    return this.versions.get(arn);
  }
  latestVersion(machineArn: string): VersionRow | undefined {
    let latest: VersionRow | undefined;
    for (const v of this.versions.values()) {
      if (v.machine_arn === machineArn && (!latest || v.version > latest.version)) latest = v;
    }
    return latest;
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
