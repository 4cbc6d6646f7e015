/** Published versions of state machines in plain maps, with each machine's last number given. */
import { StoreConstraintError } from "../../errors.ts";
import type { VersionRow } from "../rows.ts";
import type { VersionStore } from "../store.ts";
import { setUndoable, type UndoLog } from "./undo-log.ts";

export class MemoryVersions implements VersionStore {
  private readonly versions = new Map<string, VersionRow>();
  private readonly lastNumbers = new Map<string, number>();

  constructor(private readonly undo: UndoLog) {}

  insert(row: VersionRow): void {
    if (this.versions.has(row.arn)) throw new StoreConstraintError(`version ${row.arn} exists`);
    setUndoable(this.undo, this.versions, row.arn, { ...row });
  }
  get(arn: string): VersionRow | undefined {
    return this.versions.get(arn);
  }
  list(machineArn: string): VersionRow[] {
    return [...this.versions.values()]
      .filter((v) => v.machine_arn === machineArn)
      .sort((a, b) => b.version - a.version);
  }
  delete(arn: string): void {
    setUndoable(this.undo, this.versions, arn, undefined);
  }
  takeNumber(machineArn: string): number {
    let last = this.lastNumbers.get(machineArn) ?? 0;
    for (const v of this.versions.values()) {
      if (v.machine_arn === machineArn && v.version > last) last = v.version;
    }
    const next = last + 1;
    setUndoable(this.undo, this.lastNumbers, machineArn, next);
    return next;
  }
  deleteAll(machineArn: string): void {
    for (const v of this.list(machineArn)) this.delete(v.arn);
    setUndoable(this.undo, this.lastNumbers, machineArn, undefined);
  }
}
