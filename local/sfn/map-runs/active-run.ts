/**
 * A Map Run being run here: its children by state (to start or redrive, running) and its counts
 * so far, from which DescribeMapRun answers and the tolerated-failure thresholds are checked.
 */
import type { MapRunPlan } from "../../asl/index.ts";
import { type Counts, type RedriveCounts, zero } from "./children.ts";
import type { ChildRedrive, MapRunRow } from "./store.ts";

export interface ActiveRun {
  row: MapRunRow;
  plan: MapRunPlan;
  /** Items per child. */
  items: number[];
  /** Indices of children to start (or redrive), in order, and how far they have been started. */
  pending: number[];
  /** What redrives did to the children, by index (whose rerun is due). */
  redrives: Map<number, ChildRedrive>;
  /** Children in `pending` that this redrive reruns and has not rerun yet. */
  toRedrive: Set<number>;
  /** Children that did not succeed and cannot be redriven (history full). */
  notRedrivable: number;
  cursor: number;
  running: Set<number>;
  executions: Counts;
  itemCounts: Counts;
  done: boolean;
  /** Once ending: the end (children stopped, results written, row updated). */
  ending?: Promise<void>;
}

export function newActiveRun(row: MapRunRow, plan: MapRunPlan): ActiveRun {
  return {
    row,
    plan,
    items: [],
    pending: [],
    redrives: new Map(),
    toRedrive: new Set(),
    notRedrivable: 0,
    cursor: 0,
    running: new Set(),
    executions: zero(),
    itemCounts: zero(),
    done: false,
  };
}

/** Whether the failures so far are within the thresholds (UpdateMapRun may have changed them). */
export function tolerated(run: ActiveRun): boolean {
  const e = run.executions;
  const failures = e.failed + e.timedOut + e.aborted;
  if (failures === 0) return true;
  const { tolerated_count: count, tolerated_pct: pct } = run.row;
  if (count >= 0 && failures <= count) return true;
  if (pct >= 0 && e.total > 0 && (failures * 100) / e.total <= pct) return true;
  return false;
}

/** DescribeMapRun's counts of a running Map Run. */
export function liveCounts(run: ActiveRun): { executions: RedriveCounts; items: RedriveCounts } {
  const e = { ...run.executions, pendingRedrive: 0, failuresNotRedrivable: 0 };
  const it = { ...run.itemCounts, pendingRedrive: 0, failuresNotRedrivable: 0 };
  e.running = run.running.size;
  e.pending = e.total - e.running - e.succeeded - e.failed - e.timedOut - e.aborted;
  it.running = [...run.running].reduce((a, i) => a + (run.items[i] ?? 0), 0);
  it.pending = it.total - it.running - it.succeeded - it.failed - it.timedOut - it.aborted;
  e.pendingRedrive = run.toRedrive.size;
  it.pendingRedrive = [...run.toRedrive].reduce((a, i) => a + (run.items[i] ?? 0), 0);
  e.failuresNotRedrivable = run.notRedrivable;
  return { executions: e, items: it };
}
