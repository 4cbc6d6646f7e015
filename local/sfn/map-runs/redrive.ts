/**
 * Redriving a Map Run ("Redriving Map Runs" in AWS's guide): when the parent's redrive reaches a
 * Distributed Map whose Map Run failed or was aborted, the Map Run keeps its ARN, its items and
 * its settings, counts the redrive (DescribeMapRun's redriveCount / redriveDate), and reruns only
 * the children that did not succeed (FAILED, TIMED_OUT, ABORTED) or never started, each under
 * its own ARN: a STANDARD child is redriven (RedriveExecution: from the state it stopped in), an
 * EXPRESS child runs again from its first state (AWS starts those anew). The children that
 * succeeded keep their results. A STANDARD child whose history is full cannot be redriven: it
 * stays failed (`failuresNotRedrivable`) and counts against the tolerated failures.
 *
 * Crash-safe: the transaction that sets the Map Run running again also notes each child it is to
 * rerun, with the child's own redrive count then (`ChildRedrive`). A resumed Map Run redrives a
 * child only while that count is unchanged, so none is redriven twice in one redrive.
 */
import type { MapRunPlan } from "../../asl/index.ts";
import type { Executor } from "../executor/executor.ts";
import type { ExecutionRow } from "../store/index.ts";
import { childName, type RedriveCounts, statusKey, zero } from "./children.ts";
import type { ChildRedrive, MapRunRow, MapRunStore } from "./store.ts";

/** A STANDARD child whose history reached this cannot be redriven (as RedriveExecution says). */
const MAX_REDRIVABLE_EVENTS = 24_999;

const UNSUCCESSFUL = new Set(["FAILED", "TIMED_OUT", "ABORTED"]);

type X = Pick<Executor, "execution" | "store" | "clock" | "commits">;

/**
 * Sets a Map Run that failed or was aborted running again for the parent's redrive (its redrive
 * `count`, answering task `taskId`) and marks, in the same transaction, the children it reruns.
 */
export async function setRedriven(
  x: X,
  store: MapRunStore,
  row: MapRunRow,
  count: number,
  taskId: string,
): Promise<void> {
  const plan = JSON.parse(row.plan) as MapRunPlan;
  const marks: [number, ChildRedrive][] = [];
  for (let i = 0; i < row.children; i++) {
    const child = x.execution(plan.childArnPrefix + childName(row.arn, i));
    if (!child || !UNSUCCESSFUL.has(child.status) || !redrivable(x, plan, child)) continue;
    marks.push([i, { round: count, base: redriveCountOf(x, child) }]);
  }
  row.task_id = taskId;
  row.status = "RUNNING";
  row.stop_ms = null;
  row.output = null;
  row.error = null;
  row.cause = null;
  row.redrive_count = count;
  row.redrive_ms = x.clock.now();
  await x.commits.write(() => {
    for (const [i, mark] of marks) store.putRedrive(row.id, i, mark);
    store.update(row);
  });
}

function redriveCountOf(x: X, child: ExecutionRow): number {
  return x.store.extras.get(child.id)?.redrive_count ?? 0;
}

/** Whether a child can run again if it did not succeed (a STANDARD one: room in its history). */
export function redrivable(x: X, plan: MapRunPlan, child: ExecutionRow): boolean {
  if (!UNSUCCESSFUL.has(child.status) || plan.executionType === "EXPRESS") return true;
  const last = x.store.steps.historyPage(child.id, Number.MAX_SAFE_INTEGER, 1, true)[0];
  return (last?.id ?? 0) < MAX_REDRIVABLE_EVENTS;
}

/**
 * Whether the Map Run's current redrive has yet to rerun this child: marked in this redrive,
 * still unsuccessful, and not rerun since (its redrive count unchanged).
 */
export function redriveDue(
  x: X,
  row: MapRunRow,
  mark: ChildRedrive | undefined,
  child: ExecutionRow,
): boolean {
  if (!mark || mark.round !== row.redrive_count) return false;
  return UNSUCCESSFUL.has(child.status) && redriveCountOf(x, child) === mark.base;
}

/** DescribeMapRun's counts of a Map Run that is not running here, from its children's rows. */
export function storedCounts(
  x: X,
  store: MapRunStore,
  row: MapRunRow,
): { executions: RedriveCounts; items: RedriveCounts } {
  const executions = { ...zero(), pendingRedrive: 0, failuresNotRedrivable: 0 };
  const items = { ...zero(), pendingRedrive: 0, failuresNotRedrivable: 0 };
  const plan = JSON.parse(row.plan) as MapRunPlan;
  const perChild = row.children > 0 ? store.itemCounts(row.id) : [];
  perChild.forEach((n, i) => {
    const child = x.execution(plan.childArnPrefix + childName(row.arn, i));
    const key = statusKey(child?.status);
    executions[key]++;
    items[key] += n;
    executions.total++;
    items.total += n;
    if (child && !redrivable(x, plan, child)) {
      executions.failuresNotRedrivable++;
      items.failuresNotRedrivable += n;
    }
  });
  return { executions, items };
}
