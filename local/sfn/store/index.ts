/** The runtime's store: its contract, its rows, and `openStore` for either implementation. */
export { openStore, type StoreKind } from "./open-store.ts";
export type * from "./rows.ts";
export { listBackups } from "./sqlite/backup.ts";
export { describeRepair, type RepairResult, repairStore } from "./sqlite/repair.ts";
export {
  type AliasStore,
  type ExecutionExtrasStore,
  type ExecutionStore,
  HISTORY_CHUNK,
  type LocalSettingsStore,
  type MachineStore,
  recordsFor,
  type StepStore,
  type Store,
  type TimerStore,
  type VersionStore,
  type WaitStore,
} from "./store.ts";
