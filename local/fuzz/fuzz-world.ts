/**
 * The runtime a fuzz session runs on: the durable runtime users run (`createRuntime`, SQLite in a
 * temporary data directory, a virtual clock), with the fault injector at its task boundary. A
 * crash closes the runtime while a task is in flight, so that task's answer is never recorded;
 * the next `settle` opens a new runtime on the same data directory, which resumes the execution
 * from its log — what a process killed between an effect and its recording leaves behind.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRuntime, type FunctionMap, type SfnRuntime, VirtualClock } from "../sfn/index.ts";
import { FaultInjector } from "./fault-injector.ts";

export class FuzzWorld {
  readonly clock = new VirtualClock(Date.UTC(2025, 0, 1));
  readonly faults: FaultInjector;
  /** Errors the runtime reported from background work (none is expected). */
  readonly errors: string[] = [];
  crashes = 0;
  readonly stateMachineArn: string;
  private current: SfnRuntime;
  private dying: Promise<void> | undefined;
  private gone: Promise<void> | undefined;
  private readonly dataDir = mkdtempSync(join(tmpdir(), "countersign-fuzz-"));

  constructor(
    definition: string,
    private readonly handlers: FunctionMap,
  ) {
    this.faults = new FaultInjector(() => this.crash());
    this.current = this.open();
    this.stateMachineArn = this.current.createStateMachine({
      name: "fuzzed",
      definition,
      roleArn: "arn:aws:iam::123456789012:role/fuzzed",
    }).stateMachineArn;
  }

  get runtime(): SfnRuntime {
    return this.current;
  }

  /** Lets all work due now finish, reopening the runtime after any crash. */
  async settle(): Promise<void> {
    for (;;) {
      if (this.gone) {
        await this.gone;
        this.gone = undefined;
        this.dying = undefined;
        this.current = this.open();
      }
      await this.clock.runDue();
      await this.current.idle();
      if (!this.dying) return;
    }
  }

  async close(): Promise<void> {
    await this.settle();
    await this.current.close();
    rmSync(this.dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }

  private open(): SfnRuntime {
    return createRuntime({
      dataDir: this.dataDir,
      clock: this.clock,
      functions: this.handlers,
      interceptTask: this.faults.intercept,
      onError: (error) => {
        if (!this.dying) this.errors.push(String((error as Error)?.stack ?? error));
      },
    });
  }

  private crash(): Promise<void> {
    if (!this.dying) {
      this.crashes++;
      const runtime = this.current;
      // From this call on the runtime records nothing; closing then waits for in-flight work.
      const closing = runtime.close();
      this.dying = Promise.resolve();
      this.gone = closing;
    }
    return this.dying;
  }
}
