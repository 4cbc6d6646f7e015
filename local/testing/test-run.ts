/**
 * One execution under test: its status and output, its history and the path it took, the task
 * tokens it waits on, and helpers that run the environment's virtual clock until the execution
 * reaches a callback or its end. Everything is read from the runtime's own API answers
 * (DescribeExecution, GetExecutionHistory), so a test sees what a user of the wire API sees.
 */

import { parseDuration } from "../sfn/duration.ts";
import type { SfnRuntime, VirtualClock } from "../sfn/index.ts";
import { TestEnvironmentError } from "./errors.ts";
import { openTaskTokens } from "./open-tokens.ts";

/** A history event as GetExecutionHistory returns it (`type`, `id`, `<kind>EventDetails`). */
export type RunEvent = { type: string; id: number; previousEventId?: number; timestamp: Date } & {
  [details: string]: unknown;
};

type Description = ReturnType<SfnRuntime["describeExecution"]>;

/** How far a helper may move the virtual clock looking for what it waits for (default 30 days). */
export interface WithinOptions {
  within?: number | string;
}

export class TestRun {
  constructor(
    readonly executionArn: string,
    private readonly runtime: SfnRuntime,
    private readonly clock: VirtualClock,
  ) {}

  /** DescribeExecution's answer now. */
  description(): Description {
    return this.runtime.describeExecution({ executionArn: this.executionArn });
  }

  get status(): string {
    return this.description().status as string;
  }

  /** The output, parsed (undefined while running or after a failure). */
  get output(): unknown {
    const out = this.description().output;
    return out === undefined ? undefined : JSON.parse(out as string);
  }

  /** Every history event, oldest first. */
  history(): RunEvent[] {
    const events: RunEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = this.runtime.getExecutionHistory({
        executionArn: this.executionArn,
        maxResults: 1000,
        nextToken,
      });
      events.push(...(page.events as unknown as RunEvent[]));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  /** The names of the states entered, in order: the path the execution took. */
  path(): string[] {
    return this.history()
      .filter((e) => e.type.endsWith("StateEntered"))
      .map((e) => (e.stateEnteredEventDetails as { name: string }).name);
  }

  /**
   * The task token `state` waits on now (a `.waitForTaskToken` task scheduled and not yet
   * answered), or undefined. The token is found in the task's parameters, where the definition
   * put `$$.Task.Token`, and recognised by the runtime that issued it.
   */
  taskToken(state: string): string | undefined {
    return openTaskTokens(this.runtime, this.history()).find((t) => t.state === state)?.token;
  }

  /**
   * Runs the environment (firing due timers: retry back-offs, waits) until this execution waits
   * for a task token at `state`, and returns the token. Throws, with the path taken, if the
   * execution ends first or nothing is left to run.
   */
  async waitForTaskToken(state: string, o: WithinOptions = {}): Promise<string> {
    const deadline = this.clock.now() + parseDuration(o.within ?? "30d", "within");
    for (;;) {
      await this.runtime.idle();
      const token = this.taskToken(state);
      if (token) return token;
      const d = this.description();
      if (d.status !== "RUNNING") {
        throw new TestEnvironmentError(
          `${this.name()} ended ${d.status} before waiting at ${state}; its path: ${this.path().join(" → ")}`,
        );
      }
      if (!(await this.step(deadline))) {
        throw new TestEnvironmentError(
          `${this.name()} is not waiting at ${state} and has nothing left to run before ${new Date(deadline).toISOString()}; its path: ${this.path().join(" → ")}`,
        );
      }
    }
  }

  /**
   * Runs the environment's clock forward, timer by timer, until this execution ends (a 24-hour
   * timeout fires at once), and returns DescribeExecution's answer. Throws when it waits for a
   * callback that nothing will send.
   */
  async result(o: WithinOptions = {}): Promise<Description> {
    const deadline = this.clock.now() + parseDuration(o.within ?? "30d", "within");
    for (;;) {
      await this.runtime.idle();
      const d = this.description();
      if (d.status !== "RUNNING") return d;
      if (!(await this.step(deadline))) {
        throw new TestEnvironmentError(
          `${this.name()} is still RUNNING with nothing left to run before ${new Date(deadline).toISOString()} (waiting for a callback? send it with env.sendTaskSuccess); its path: ${this.path().join(" → ")}`,
        );
      }
    }
  }

  /**
   * Time travel for this execution only: its waits, timeouts, heartbeats and back-offs fire as if
   * `duration` had passed; other executions keep the environment's clock.
   */
  async advance(duration: number | string): Promise<void> {
    const ms = parseDuration(duration, "advance");
    await this.runtime.advanceExecution({
      executionArn: this.executionArn,
      advanceBySeconds: ms / 1000,
    });
    await this.runtime.idle();
  }

  private async step(deadline: number): Promise<boolean> {
    const at = this.clock.nextAt();
    if (at === undefined || at > deadline) return false;
    await this.clock.runNext();
    return true;
  }

  private name(): string {
    return `execution ${this.executionArn.split(":").pop()}`;
  }
}
