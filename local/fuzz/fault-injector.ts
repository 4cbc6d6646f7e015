/**
 * Applies a fault schedule to the tasks of one execution, at the runtime's task boundary
 * (`RuntimeOptions.interceptTask`): the runtime's Retry and Catch see an injected failure exactly
 * as they would see the service's own. Invocations are counted per state over the execution
 * (every attempt, every re-invocation after a crash), which is what a schedule's `from` and
 * `times` refer to.
 */
import type { TaskInterceptor } from "../sfn/index.ts";
import { TaskInvocationError } from "../sfn/index.ts";
import type { Fault } from "./schedule.ts";

export class FaultInjector {
  private executionName: string | undefined;
  private schedule: Fault[] = [];
  private readonly counts = new Map<string, number>();
  /** Invocations a fault hit, over the session. */
  injected = 0;

  /**
   * @param crash kills the runtime (resolves once it no longer records answers); the world
   *   opens a new one on the same data directory, which resumes the execution.
   */
  constructor(private readonly crash: () => Promise<void>) {}

  /** The execution (by name) the schedule applies to from now on. */
  arm(executionName: string, schedule: Fault[]): void {
    this.executionName = executionName;
    this.schedule = schedule;
    this.counts.clear();
  }

  readonly intercept: TaskInterceptor = async (task, command, next) => {
    if (!this.executionName || !task.executionArn.endsWith(`:${this.executionName}`)) {
      return next();
    }
    const n = this.counts.get(command.stateName) ?? 0;
    this.counts.set(command.stateName, n + 1);
    const fault = this.schedule.find(
      (f) => f.state === command.stateName && n >= f.from && n < f.from + f.times,
    );
    if (!fault) return next();
    this.injected++;
    const why = `injected by countersign asl fuzz: ${fault.kind} at ${command.stateName} invocation ${n}`;
    switch (fault.kind) {
      case "error":
        throw new TaskInvocationError(
          /:lambda:|^arn:aws[a-z-]*:lambda:/.test(task.resource)
            ? "Lambda.ServiceException"
            : "States.TaskFailed",
          why,
        );
      case "timeout":
        await next().catch(() => undefined);
        throw new TaskInvocationError("States.Timeout", why);
      case "duplicate":
        await next().catch(() => undefined);
        return next();
      case "crashBefore":
        // The process is gone before the task started: whatever this returns is never recorded.
        await this.crash();
        return { kind: "succeeded", output: null };
      case "crash":
        try {
          return await next();
        } finally {
          // Dies with the answer in hand: the runtime never records it.
          await this.crash();
        }
    }
  };
}
