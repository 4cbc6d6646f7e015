/** Aliases of state machines in a plain map. */
import type { AliasRow } from "../rows.ts";
import type { AliasStore } from "../store.ts";
import { setUndoable, type UndoLog } from "./undo-log.ts";

export class MemoryAliases implements AliasStore {
  private readonly aliases = new Map<string, AliasRow>();

  constructor(private readonly undo: UndoLog) {}

  put(row: AliasRow): void {
    setUndoable(this.undo, this.aliases, row.arn, { ...row });
  }
  get(arn: string): AliasRow | undefined {
    return this.aliases.get(arn);
  }
  list(machineArn: string): AliasRow[] {
    return [...this.aliases.values()]
      .filter((a) => a.machine_arn === machineArn)
      .sort((a, b) => a.created_ms - b.created_ms || (a.name < b.name ? -1 : 1));
  }
  delete(arn: string): void {
    setUndoable(this.undo, this.aliases, arn, undefined);
  }
  deleteAll(machineArn: string): void {
    for (const a of this.list(machineArn)) this.delete(a.arn);
  }
}
