/**
 * Mocked service integrations for whole executions, as Step Functions Local runs them: an
 * execution started as `<stateMachineArn>#<testCase>` keeps that test case (a row of the store,
 * so a restarted runtime keeps mocking it), and each Task state its test case names gets the
 * mocked response's answer for its n-th invocation in the execution instead of calling anything.
 * The answer is the task's result as the service would have returned it (for `lambda:invoke`,
 * the whole `{StatusCode, Payload, ...}`), or its error (`Throw`), which Retry and Catch see as
 * they would see the service's. A mocked `.waitForTaskToken` task completes with the answer (AWS:
 * "Step Functions Local will automatically generate a task token"); no callback is needed.
 * States the test case does not name call the real integration (AWS's "HybridPath").
 *
 * Invocations are counted per state over the execution (every attempt and every re-entry), as
 * AWS's "you must denote mocks for retries with consecutive attempt numbers" requires. The count
 * is rebuilt from the execution's log when it is not in memory (after a restart a re-invoked
 * task gets the same answer as before), so it needs nothing stored.
 */
import type { Json } from "../../asl/types.ts";
import { parseStateMachineArn } from "../arns.ts";
import { TaskInvocationError, ValidationException } from "../errors.ts";
import type { Executor } from "../executor/executor.ts";
import type { TaskCommand } from "../executor/live.ts";
import type { TaskOutcome, TaskToRun } from "../invokers/index.ts";
import { resolveResource } from "../invokers/resources.ts";
import { Lru } from "../lru.ts";
import { MockConfigError } from "./errors.ts";
import { answerFor, type MockConfig, type MockedResponse, testCase } from "./mock-config.ts";

/** How far an execution's states have been invoked: task id → its invocation number. */
interface Counts {
  seen: Map<string, number>;
  byState: Map<string, number>;
}

export class MockedTasks {
  private readonly counts = new Lru<string, Counts>(1024);

  constructor(
    readonly config: MockConfig,
    private readonly executor: () => Executor,
  ) {}

  /**
   * Checks that the test case exists for the state machine named by `stateMachineArn` (the ARN
   * without its `#`): the name to store, or ValidationException naming what the file has.
   */
  checkTestCase(stateMachineArn: string, name: string): string {
    try {
      testCase(this.config, parseStateMachineArn(stateMachineArn).name, name);
    } catch (error) {
      if (error instanceof MockConfigError) throw new ValidationException(error.message);
      throw error;
    }
    return name;
  }

  /**
   * Runs a task of an execution that has a test case and whose state it mocks; undefined for
   * every other task (the real integration runs it).
   */
  run(task: TaskToRun, command: TaskCommand): Promise<TaskOutcome> | undefined {
    const x = this.executor();
    const row = x.execution(task.executionArn);
    const name = row && x.settings.get(row.id)?.mock_test_case;
    if (!row || !name) return undefined;
    const machine = parseStateMachineArn(row.machine_arn).name;
    const response = testCase(this.config, machine, name).get(command.stateName);
    if (!response) return this.unmocked(task, command, machine, name);
    return this.answer(task, command, response, `StateMachines.${machine}.TestCases.${name}`);
  }

  private async answer(
    task: TaskToRun,
    command: TaskCommand,
    response: MockedResponse,
    where: string,
  ): Promise<TaskOutcome> {
    const n = await this.invocation(task.executionArn, command);
    const answer = answerFor(response, n);
    if (!answer) {
      // AWS: "If you do not specify a mocked response, the state machine execution will fail."
      throw new TaskInvocationError(
        "States.Runtime",
        `${where} mocks ${command.stateName} with ${response.name}, which has no answer for invocation ${n} (0-based): add "${n}" (or a range holding it) to MockedResponses.${response.name}`,
      );
    }
    if ("Throw" in answer) {
      throw new TaskInvocationError(answer.Throw.Error, answer.Throw.Cause ?? "");
    }
    return { kind: "succeeded", output: structuredClone(answer.Return) as Json };
  }

  /** A state the test case leaves to the real integration; one we cannot run says so. */
  private unmocked(
    task: TaskToRun,
    command: TaskCommand,
    machine: string,
    name: string,
  ): Promise<TaskOutcome> | undefined {
    if (resolveResource(task.resource)) return undefined;
    return Promise.reject(
      new TaskInvocationError(
        "States.Runtime",
        `${command.stateName} calls ${task.resource}, which Countersign cannot call locally, and test case '${name}' does not mock it: add "${command.stateName}": "<mocked response>" to StateMachines.${machine}.TestCases.${name}`,
      ),
    );
  }

  /** The task's invocation number among its state's (0-based), stable across replays. */
  private async invocation(arn: string, command: TaskCommand): Promise<number> {
    let counts = this.counts.get(arn);
    if (!counts) {
      counts = await this.fromLog(arn);
      this.counts.set(arn, counts);
    }
    const known = counts.seen.get(command.id);
    if (known !== undefined) return known;
    const n = counts.byState.get(command.stateName) ?? 0;
    counts.byState.set(command.stateName, n + 1);
    counts.seen.set(command.id, n);
    return n;
  }

  /** Every task the execution has commanded so far, counted per state in the order issued. */
  private async fromLog(arn: string): Promise<Counts> {
    const x = this.executor();
    const row = x.execution(arn);
    const tasks = new Map<string, TaskCommand>();
    if (row) await x.load(row, tasks);
    const counts: Counts = { seen: new Map(), byState: new Map() };
    for (const task of tasks.values()) {
      const n = counts.byState.get(task.stateName) ?? 0;
      counts.byState.set(task.stateName, n + 1);
      counts.seen.set(task.id, n);
    }
    return counts;
  }
}
