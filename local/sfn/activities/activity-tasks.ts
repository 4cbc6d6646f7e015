/**
 * Activity tasks between a running execution and its workers: an activity Task queues its input
 * (durably, `activity-store.ts`) and waits; `GetActivityTask` long-polls for up to 60 seconds,
 * answers as soon as a task is queued, records `ActivityStarted` with the worker's name and hands
 * out the task token the worker answers with (`SendTaskSuccess/Failure/Heartbeat`).
 * See https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetActivityTask.html
 */
import type { Json } from "../../asl/types.ts";
import type { Cancel, Clock } from "../clock.ts";
import type { Executor } from "../executor/executor.ts";
import type { TokenCodec } from "../tokens.ts";
import type { ActivityStore } from "./activity-store.ts";

/** AWS holds a GetActivityTask request open this long before answering with no task. */
export const POLL_MS = 60_000;

export class ActivityTasks {
  /** Waiting GetActivityTask calls by activity ARN: each is woken when a task is queued. */
  private readonly pollers = new Map<string, Set<() => void>>();
  private closed = false;

  constructor(
    private readonly store: ActivityStore,
    private readonly executor: Executor,
    private readonly tokens: TokenCodec,
    private readonly clock: Clock,
  ) {}

  /** An activity Task began: its input waits in the activity's queue for a worker. */
  schedule(t: { activityArn: string; executionArn: string; taskId: string; input: Json }): void {
    this.store.enqueue({
      activity_arn: t.activityArn,
      execution_arn: t.executionArn,
      task_id: t.taskId,
      input: JSON.stringify(t.input),
    });
    for (const wake of this.pollers.get(t.activityArn) ?? []) wake();
  }

  /**
   * The oldest task of the activity that is still awaited, once one is there (up to 60 s on the
   * runtime's clock); `{}` when none came, as AWS answers (no taskToken).
   */
  async take(
    activityArn: string,
    workerName?: string,
  ): Promise<{ taskToken?: string; input?: string }> {
    const deadline = this.clock.now() + POLL_MS;
    for (;;) {
      const got = await this.takeNow(activityArn, workerName);
      if (got) return got;
      if (this.closed || this.clock.now() >= deadline) return {};
      await this.waitForTask(activityArn, deadline);
    }
  }

  /** Wakes every waiting poll (they answer with no task): the runtime is closing. */
  close(): void {
    this.closed = true;
    for (const set of this.pollers.values()) for (const wake of [...set]) wake();
  }

  private async takeNow(activityArn: string, workerName?: string) {
    for (;;) {
      // Read and removed in one turn of the event loop: two polls never get the same task.
      const row = this.store.next(activityArn);
      if (!row) return undefined;
      this.store.remove(row.seq);
      // A task that timed out or whose execution ended meanwhile is dropped: the next one.
      const started = await this.executor.deliver(row.execution_arn, {
        type: "taskStarted",
        id: row.task_id,
        ...(workerName !== undefined ? { workerName } : {}),
        at: this.clock.now(),
      });
      if (started) {
        return { taskToken: this.tokens.mint(row.execution_arn, row.task_id), input: row.input };
      }
    }
  }

  private waitForTask(activityArn: string, deadline: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const waiting = this.pollers.get(activityArn) ?? new Set<() => void>();
      this.pollers.set(activityArn, waiting);
      let cancel: Cancel | undefined;
      const wake = () => {
        cancel?.();
        waiting.delete(wake);
        if (waiting.size === 0) this.pollers.delete(activityArn);
        resolve();
      };
      waiting.add(wake);
      cancel = this.clock.schedule(deadline, wake);
    });
  }
}
