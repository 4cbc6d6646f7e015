/**
 * Map Runs: the child executions of Distributed Map states. The engine hands the runtime a plan
 * (`MapRunPlan`) as a task command; this reads the items (ItemReader or inline), applies
 * ItemSelector and ItemBatcher, stores the children's inputs, and starts the children as
 * executions of their own (each with its ARN and, for STANDARD, its history) up to MaxConcurrency,
 * counting failures against the tolerated thresholds. When all have ended (or too many failed) it
 * writes the results (ResultWriter) and answers the parent's task. Durable: a child's name comes
 * from the Map Run and its index, so after a restart the Map Run resumes, finds the children that
 * already ran in the executions table, and starts only the others: no item is run twice by a
 * child that succeeded. Per "Distributed Map state" and "Examining Map Runs" in AWS's guide.
 * A redrive of the parent redrives a Map Run that did not succeed (`redrive.ts`).
 */
import { itemSelector, type Json, type MapRunPlan } from "../../asl/index.ts";
import type { Executor } from "../executor/executor.ts";
import type { TaskOutcome } from "../invokers/index.ts";
import type { ExecutionRow } from "../store/index.ts";
import { type ActiveRun, liveCounts, newActiveRun, tolerated } from "./active-run.ts";
import { BatchError, childInputs } from "./batches.ts";
import { childName, isMapRunArn, mapRunResult, type RedriveCounts, statusKey } from "./children.ts";
import { ItemReaderError, readItems } from "./item-reader.ts";
import { redrivable, redriveDue, setRedriven, storedCounts } from "./redrive.ts";
import { ResultWriterError } from "./result-writer.ts";
import type { S3Access } from "./s3-access.ts";
import { type MapRunRow, type MapRunStatus, type MapRunStore, mapRunStore } from "./store.ts";

export { childName, isMapRunArn };

/** Children running at once when MaxConcurrency is 0 (AWS runs up to 10,000). */
const UNLIMITED = 1000;

export class MapRuns {
  readonly store: MapRunStore;
  private readonly runs = new Map<string, ActiveRun>();
  private readonly children = new Map<string, { run: ActiveRun; index: number }>();

  constructor(
    private readonly x: Executor,
    private readonly s3: S3Access,
  ) {
    this.store = mapRunStore(x.store);
  }

  /** The Map Run task of a Distributed Map state: created once, then run in the background. */
  async launch(plan: MapRunPlan, taskId: string): Promise<TaskOutcome> {
    await this.x.work.locked(plan.mapRunArn, async () => {
      // A redrive right after the parent stopped may find the Map Run still aborting: it redrives
      // the Map Run once that has ended.
      await this.runs.get(plan.mapRunArn)?.ending;
      let row = this.store.get(plan.mapRunArn);
      if (!row) {
        const created: MapRunRow = {
          id: 0,
          arn: plan.mapRunArn,
          exec_arn: plan.executionArn,
          task_id: taskId,
          plan: JSON.stringify(plan),
          status: "RUNNING",
          start_ms: this.x.clock.now(),
          stop_ms: null,
          max_concurrency: plan.maxConcurrency,
          tolerated_count: plan.toleratedFailureCount,
          tolerated_pct: plan.toleratedFailurePercentage,
          children: -1,
          output: null,
          error: null,
          cause: null,
          redrive_count: 0,
          redrive_ms: null,
        };
        await this.x.commits.write(() => this.store.insert(created));
        row = created;
      } else if (
        (plan.redriveCount ?? 0) > row.redrive_count &&
        (row.status === "FAILED" || row.status === "ABORTED")
      ) {
        await setRedriven(this.x, this.store, row, plan.redriveCount as number, taskId);
      }
      if (row.status === "RUNNING") this.activate(row, JSON.parse(row.plan) as MapRunPlan);
      else this.deliver(row);
    });
    return { kind: "child", childArn: plan.mapRunArn };
  }

  /** After a restart: running Map Runs go on; ended ones whose parent still waits answer it. */
  resume(): void {
    for (const row of this.store.running()) this.activate(row, JSON.parse(row.plan) as MapRunPlan);
    for (const wait of this.x.store.waits.withChildren()) {
      const arn = wait.child_arn as string;
      if (!isMapRunArn(arn)) continue;
      const row = this.store.get(arn);
      if (row && row.status !== "RUNNING") this.deliver(row);
    }
  }

  /** An execution ended: if it is a child of an active Map Run, count it and go on. */
  childEnded(row: ExecutionRow): void {
    const entry = this.children.get(row.arn);
    if (!entry) return;
    this.children.delete(row.arn);
    const { run, index } = entry;
    if (!run.running.delete(index)) return;
    this.count(run, index, row.status);
    if (run.done) return;
    this.failOrPump(run);
  }

  /** The parent's task was cancelled (its execution stopped, failed or timed out). */
  abort(mapRunArn: string): void {
    const run = this.runs.get(mapRunArn);
    if (run) void this.finish(run, "ABORTED", "States.Aborted", "The Map Run was aborted");
  }

  /** UpdateMapRun: new limits apply at once. */
  async update(
    row: MapRunRow,
    change: {
      maxConcurrency?: number;
      toleratedFailureCount?: number;
      toleratedFailurePercentage?: number;
    },
  ): Promise<void> {
    const run = this.runs.get(row.arn);
    const target = run?.row ?? row;
    if (change.maxConcurrency !== undefined) target.max_concurrency = change.maxConcurrency;
    if (change.toleratedFailureCount !== undefined)
      target.tolerated_count = change.toleratedFailureCount;
    if (change.toleratedFailurePercentage !== undefined)
      target.tolerated_pct = change.toleratedFailurePercentage;
    await this.x.commits.write(() => this.store.update(target));
    if (run && !run.done) {
      this.failOrPump(run);
    }
  }

  /** Over the tolerated failures: the Map Run fails (AWS's error); else more children start. */
  private failOrPump(run: ActiveRun): void {
    if (!tolerated(run)) {
      void this.finish(
        run,
        "FAILED",
        "States.ExceedToleratedFailureThreshold",
        "The specified tolerated failure threshold was exceeded",
      );
    } else this.pump(run);
  }

  /**
   * Child execution and item counts by status (DescribeMapRun). Children a redrive has yet to
   * rerun count as pending and as `pendingRedrive`; children that did not succeed and cannot be
   * redriven as `failuresNotRedrivable` too.
   */
  counts(row: MapRunRow): { executions: RedriveCounts; items: RedriveCounts } {
    const run = this.runs.get(row.arn);
    if (run) return liveCounts(run);
    return storedCounts(this.x, this.store, row);
  }

  /** A Map Run's children that exist, by index (ListExecutions with mapRunArn). */
  childExecutions(row: MapRunRow): { arn: string; index: number; row: ExecutionRow }[] {
    const plan = JSON.parse(row.plan) as MapRunPlan;
    const out: { arn: string; index: number; row: ExecutionRow }[] = [];
    for (let i = 0; i < Math.max(0, row.children); i++) {
      const arn = plan.childArnPrefix + childName(row.arn, i);
      const child = this.x.execution(arn);
      if (child) out.push({ arn, index: i, row: child });
    }
    return out;
  }

  /** Children a running redrive of the Map Run has yet to rerun (ListExecutions' PENDING_REDRIVE). */
  pendingRedrive(row: MapRunRow): ReadonlySet<number> {
    return this.runs.get(row.arn)?.toRedrive ?? new Set();
  }

  /** Items in each child's input, by index. */
  itemsPerChild(row: MapRunRow): number[] {
    return row.children > 0 ? this.store.itemCounts(row.id) : [];
  }

  // --- internals -------------------------------------------------------------------------------

  private activate(row: MapRunRow, plan: MapRunPlan): void {
    if (this.runs.has(row.arn)) return;
    const run = newActiveRun(row, plan);
    this.runs.set(row.arn, run);
    this.x.work.track(
      this.begin(run).catch((error: unknown) => {
        this.x.reportError(error);
        return this.finish(
          run,
          "FAILED",
          "States.Runtime",
          (error as Error)?.message ?? String(error),
        );
      }),
    );
  }

  /** Reads the items once (stored), then finds which children ran and starts the others. */
  private async begin(run: ActiveRun): Promise<void> {
    const { row, plan } = run;
    if (row.children < 0) {
      let inputs: Awaited<ReturnType<typeof childInputs>>;
      try {
        const items =
          plan.items ??
          (await readItems(this.s3, plan.reader as NonNullable<MapRunPlan["reader"]>));
        inputs = await childInputs(items, itemSelector(plan), plan.batcher);
      } catch (e) {
        if (e instanceof ItemReaderError) return this.finish(run, "FAILED", e.error, e.message);
        if (e instanceof BatchError) return this.finish(run, "FAILED", "States.Runtime", e.message);
        const err = e as { name?: string; message?: string };
        if (plan.reader)
          return this.finish(run, "FAILED", "States.ItemReaderFailed", err.message ?? String(e));
        throw e;
      }
      row.children = inputs.length;
      await this.x.commits.write(() => {
        this.store.putInputs(row.id, inputs);
        this.store.update(row);
      });
      run.items = inputs.map((c) => c.items);
    } else run.items = this.store.itemCounts(row.id);
    run.executions.total = run.items.length;
    run.itemCounts.total = run.items.reduce((a, b) => a + b, 0);
    run.redrives = this.store.redrives(row.id);
    for (let i = 0; i < run.items.length; i++) {
      const child = this.x.execution(this.childArn(run, i));
      if (!child) run.pending.push(i);
      else if (child.status === "RUNNING") {
        run.running.add(i);
        this.children.set(child.arn, { run, index: i });
      } else if (redriveDue(this.x, run.row, run.redrives.get(i), child)) {
        run.pending.push(i);
        run.toRedrive.add(i);
      } else {
        this.count(run, i, child.status);
        if (!redrivable(this.x, run.plan, child)) run.notRedrivable++;
      }
    }
    if (!tolerated(run)) {
      return this.finish(
        run,
        "FAILED",
        "States.ExceedToleratedFailureThreshold",
        "The specified tolerated failure threshold was exceeded",
      );
    }
    this.pump(run);
  }

  private childArn(run: ActiveRun, index: number): string {
    return run.plan.childArnPrefix + childName(run.row.arn, index);
  }

  private count(run: ActiveRun, index: number, status: string): void {
    const key = statusKey(status);
    run.executions[key]++;
    run.itemCounts[key] += run.items[index] ?? 0;
  }

  private pump(run: ActiveRun): void {
    const limit = run.row.max_concurrency > 0 ? run.row.max_concurrency : UNLIMITED;
    while (!run.done && run.cursor < run.pending.length && run.running.size < limit) {
      this.startChild(run, run.pending[run.cursor++] as number);
    }
    if (!run.done && run.running.size === 0 && run.cursor >= run.pending.length) {
      void this.finish(run, "SUCCEEDED");
    }
  }

  private startChild(run: ActiveRun, index: number): void {
    const { plan } = run;
    const name = childName(run.row.arn, index);
    const arn = plan.childArnPrefix + name;
    run.running.add(index);
    this.children.set(arn, { run, index });
    if (run.toRedrive.delete(index)) {
      this.redriveChild(run, index, arn);
      return;
    }
    const text = this.store.input(run.row.id, index) ?? "null";
    this.x
      .startExecution({
        params: {
          executionArn: arn,
          stateMachineArn: plan.childMachineArn,
          name,
          input: JSON.parse(text) as Json,
          startTime: this.x.clock.now(),
          seed: name,
          roleArn: plan.roleArn,
        },
        definition: plan.processor,
        type: plan.executionType,
        roleArn: plan.roleArn,
        inputText: text,
      })
      .then(({ row }) => {
        if (row.status !== "RUNNING") this.childEnded(row);
      })
      .catch((error: unknown) => this.childLost(run, index, arn, error));
  }

  /**
   * Reruns a child that did not succeed, under its ARN: a STANDARD one from where it stopped
   * (RedriveExecution), an EXPRESS one from its first state (AWS starts it anew).
   */
  private redriveChild(run: ActiveRun, index: number, arn: string): void {
    const fromStart = run.plan.executionType === "EXPRESS";
    this.x
      .deliver(arn, { type: "redrive", at: this.x.clock.now(), fromStart })
      .then(() => {
        const row = this.x.execution(arn);
        if (row && row.status !== "RUNNING") this.childEnded(row);
      })
      .catch((error: unknown) => this.childLost(run, index, arn, error));
  }

  /** A child that could not be started or redriven counts as failed. */
  private childLost(run: ActiveRun, index: number, arn: string, error: unknown): void {
    this.x.reportError(error);
    if (!this.children.delete(arn) || !run.running.delete(index)) return;
    this.count(run, index, "FAILED");
    if (!run.done) this.failOrPump(run);
  }

  /** Ends the Map Run: stops children still running, writes results, answers the parent. */
  private finish(run: ActiveRun, status: MapRunStatus, error?: string, cause?: string) {
    if (!run.done) {
      run.done = true;
      run.ending = this.end(run, status, error, cause);
    }
    return run.ending as Promise<void>;
  }

  private async end(
    run: ActiveRun,
    status: MapRunStatus,
    error?: string,
    cause?: string,
  ): Promise<void> {
    const { row } = run;
    if (status !== "SUCCEEDED") {
      // Children still running are stopped (ABORTED), as AWS does when a Map Run fails.
      const stops = [...run.running].map((index) =>
        this.x.deliverInBackground(this.childArn(run, index), {
          type: "stop",
          error: "States.Aborted",
          cause: "The Map Run was stopped",
          at: this.x.clock.now(),
        }),
      );
      await Promise.all(stops);
    }
    let output: Json | undefined;
    if (status !== "ABORTED" && row.children >= 0) {
      try {
        output = await mapRunResult(this.x, this.store, this.s3, run.row, run.plan, status);
      } catch (e) {
        if (!(e instanceof ResultWriterError)) throw e;
        status = "FAILED";
        error = e.error;
        cause = e.message;
      }
    }
    row.status = status;
    row.stop_ms = this.x.clock.now();
    row.output = status === "SUCCEEDED" ? JSON.stringify(output ?? []) : null;
    row.error = status === "SUCCEEDED" ? null : (error ?? null);
    row.cause = status === "SUCCEEDED" ? null : (cause ?? null);
    await this.x.commits.write(() => this.store.update(row));
    this.runs.delete(row.arn);
    for (const index of run.running) this.children.delete(this.childArn(run, index));
    if (status !== "ABORTED") this.deliver(row);
  }

  /** Answers the parent's task with the Map Run's outcome (ignored if it no longer waits). */
  private deliver(row: MapRunRow): void {
    const at = this.x.clock.now();
    void this.x.deliverInBackground(
      row.exec_arn,
      row.status === "SUCCEEDED"
        ? {
            type: "taskSucceeded",
            id: row.task_id,
            output: JSON.parse(row.output ?? "null") as Json,
            at,
          }
        : {
            type: "taskFailed",
            id: row.task_id,
            error: row.error ?? "States.Runtime",
            ...(row.cause !== null ? { cause: row.cause } : {}),
            at,
          },
    );
  }
}
