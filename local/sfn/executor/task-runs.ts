/**
 * Task invocations for the executor: each task command runs in the background (`runTask`: Lambda
 * in-process, DynamoDB, a child execution) and its outcome comes back as an engine event. A task
 * that waits for its token or for a `.sync` child gets a wait row; after a restart, tasks that
 * were mid-invocation are invoked again (handlers must be idempotent), and children that ended
 * meanwhile are delivered to their parents.
 */
import { isAwaiting } from "../../asl/index.ts";
import type { Command, EngineEvent, Json } from "../../asl/types.ts";
import { TaskInvocationError } from "../errors.ts";
import { childOutcome, type TaskOutcome } from "../invokers/index.ts";
import { isMapRunArn } from "../map-runs/map-runs.ts";
import type { ExecutionRow, WaitingTask } from "../store/index.ts";
import type { Executor } from "./executor.ts";
import type { Live, TaskCommand } from "./live.ts";

export class TaskRuns {
  /**
   * Children with a `.sync` parent waiting: only their end needs the parent lookup, so other
   * executions end without that query.
   */
  private readonly awaitedChildren = new Set<string>();

  constructor(private readonly x: Executor) {}

  /** Runs a committed task command in the background and feeds its outcome back. */
  launch(arn: string, task: TaskCommand): void {
    if (this.x.isClosed) return;
    const id = task.id;
    const work = (async () => {
      let outcome: TaskOutcome;
      try {
        outcome = await this.x.runTask(
          { executionArn: arn, taskId: id, resource: task.resource, input: task.input },
          task,
        );
      } catch (error) {
        if (this.x.isClosed) return;
        const failure =
          error instanceof TaskInvocationError
            ? { error: error.error, cause: error.errorCause }
            : { error: "States.TaskFailed", cause: (error as Error)?.message ?? String(error) };
        await this.x.deliver(arn, { type: "taskFailed", id, ...failure, at: this.x.clock.now() });
        return;
      }
      if (this.x.isClosed) return;
      if (outcome.kind === "succeeded") {
        await this.x.deliver(arn, {
          type: "taskSucceeded",
          id,
          output: outcome.output,
          at: this.x.clock.now(),
        });
        return;
      }
      const child = outcome.kind === "child" ? outcome.childArn : null;
      if (child) this.awaitedChildren.add(child);
      const waiting = await this.startWaiting(arn, id, task.resource, child);
      if (waiting && outcome.submitted !== undefined) {
        // The service call returned: AWS records it as TaskSubmitted, before the task's end.
        await this.x.deliver(arn, {
          type: "taskSubmitted",
          id,
          output: outcome.submitted,
          at: this.x.clock.now(),
        });
      }
      if (!waiting || !child) return;
      const ended = this.x.execution(child);
      if (ended && ended.status !== "RUNNING") {
        this.awaitedChildren.delete(child);
        const row = this.x.execution(arn);
        if (row)
          this.deliverChild(
            { exec_id: row.id, arn, task_id: id, resource: task.resource, child_arn: child },
            ended,
          );
      }
    })().catch((error: unknown) => this.x.reportError(error));
    this.x.work.track(work);
  }

  /** After a restart: invocations to repeat, children that may have ended meanwhile. */
  resume(): void {
    for (const row of this.x.store.executions.invoking()) {
      this.x.remember(row);
      this.x.work
        .locked(row.arn, () => this.relaunch(row))
        .catch((error: unknown) => this.x.reportError(error));
    }
    for (const wait of this.x.store.waits.withChildren()) {
      const child = wait.child_arn as string;
      this.awaitedChildren.add(child);
      const row = this.x.execution(child);
      if (row && row.status !== "RUNNING") this.deliverChild(wait, row);
    }
  }

  /** The children to stop because the step cancels the `.sync` tasks waiting on them. */
  childrenOf(row: ExecutionRow, commands: Command[], live: Live): string[] | undefined {
    let children: string[] | undefined;
    for (const c of commands) {
      if (c.kind !== "cancelTask" || !live.waits.has(c.id)) continue;
      const child = this.x.store.waits.of(row.id).find((w) => w.task_id === c.id)?.child_arn;
      if (!child) continue;
      children ??= [];
      children.push(child);
    }
    return children;
  }

  /** A cancelled `.sync` task stops its child, as on AWS. */
  stopChild(child: string): void {
    if (isMapRunArn(child)) {
      this.x.mapRuns.abort(child);
      return;
    }
    void this.x.deliverInBackground(child, {
      type: "stop",
      error: "States.Aborted",
      cause: "The parent task was cancelled",
      at: this.x.clock.now(),
    });
  }

  /** An execution ended: `.sync` parents waiting on it get its outcome. */
  childEnded(child: ExecutionRow): void {
    if (!this.awaitedChildren.delete(child.arn)) return;
    for (const parent of this.x.store.waits.onChild(child.arn)) this.deliverChild(parent, child);
  }

  /** Invokes again what a crashed runtime was invoking (its outcome never came back). */
  private async relaunch(row: ExecutionRow): Promise<void> {
    if (row.status !== "RUNNING") return;
    const tasks = new Map<string, TaskCommand>();
    const live = await this.x.load(row, tasks);
    const invoking = new Set<string>();
    for (const id of tasks.keys()) {
      if (isAwaiting(live.snapshot, id) && !live.waits.has(id)) invoking.add(id);
    }
    this.x.remember(row, live);
    if (invoking.size === 0) {
      const next: ExecutionRow = { ...row, invoking: 0 };
      await this.x.commits.write(() => this.x.store.executions.update(next));
      this.x.remember(next);
      return;
    }
    this.x.invoking.set(row.arn, invoking);
    for (const id of invoking) this.launch(row.arn, tasks.get(id) as TaskCommand);
  }

  /**
   * The task's invocation returned and it now waits for its token or child: a wait row, and the
   * execution's `invoking` flag cleared with its last invocation. False when the task is no longer
   * mid-invocation (its token came back while the handler ran, or it was cancelled).
   */
  private startWaiting(
    arn: string,
    taskId: string,
    resource: string,
    child: string | null,
  ): Promise<boolean> {
    return this.x.work.locked(arn, async () => {
      const row = this.x.execution(arn);
      const current = this.x.invoking.get(arn);
      if (row?.status !== "RUNNING" || !current?.has(taskId)) return false;
      const invoking = new Set(current);
      invoking.delete(taskId);
      const flag = invoking.size > 0 ? 1 : 0;
      const next = flag === row.invoking ? row : { ...row, invoking: flag as 0 | 1 };
      await this.x.commits.write(() => {
        // The resource says how a child's outcome reads (`.sync` or `.sync:2`): a token needs none.
        this.x.store.waits.add({
          exec_id: row.id,
          task_id: taskId,
          resource: child ? resource : "",
          child_arn: child,
        });
        if (next !== row) this.x.store.executions.update(next);
      });
      // A live execution not in memory reads its wait rows when it is rebuilt.
      this.x.cachedLive(arn)?.waits.add(taskId);
      if (invoking.size > 0) this.x.invoking.set(arn, invoking);
      else this.x.invoking.delete(arn);
      this.x.remember(next);
      return true;
    });
  }

  private deliverChild(parent: WaitingTask, child: ExecutionRow): void {
    let event: EngineEvent;
    const at = this.x.clock.now();
    try {
      event = {
        type: "taskSucceeded",
        id: parent.task_id,
        output: childOutcome(child, parent.resource) as Json,
        at,
      };
    } catch (error) {
      const e = error as TaskInvocationError;
      event = { type: "taskFailed", id: parent.task_id, error: e.error, cause: e.errorCause, at };
    }
    void this.x.deliverInBackground(parent.arn, event);
  }
}
