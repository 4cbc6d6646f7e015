/**
 * What the runtime supplies to the engine's TestState: an unmocked Task calls the same
 * integrations an execution's tasks call (Lambda handlers in-process, DynamoDB, child
 * executions), through the executor's task runner, as AWS's TestState calls the real service.
 * The state's TimeoutSeconds (at most TestState's five minutes) bounds the call on the runtime's
 * clock. Nothing is written for the test itself: no execution, no history.
 */
import { randomUUID } from "node:crypto";
import type { TestStateServices, TestStateTask, TestStateTaskOutcome } from "../../asl/index.ts";
import type { ApiContext } from "../api/context.ts";
import { TaskInvocationError } from "../errors.ts";
import { resolveResource } from "../invokers/resources.ts";
import { checkMockResult } from "./service-shapes.ts";

/** TestState runs for up to five minutes, then fails with States.Timeout (API_TestState). */
const TEST_STATE_LIMIT_SECONDS = 300;

export function testStateServices(c: ApiContext): TestStateServices {
  return {
    region: c.account.region,
    accountId: c.account.accountId,
    now: c.clock.now(),
    seed: randomUUID(),
    canInvoke: (resource) => resolveResource(resource)?.pattern === "request",
    invoke: (task) => invoke(c, task),
    checkMockResult,
  };
}

async function invoke(c: ApiContext, task: TestStateTask): Promise<TestStateTaskOutcome> {
  const { region, accountId } = c.account;
  const name = randomUUID();
  // The integration sees a caller; TestState's is an Express-style execution of its own.
  const executionArn = `arn:aws:states:${region}:${accountId}:express:TestState:${name}`;
  const id = "task-1";
  const seconds = Math.min(
    task.timeoutSeconds ?? TEST_STATE_LIMIT_SECONDS,
    TEST_STATE_LIMIT_SECONDS,
  );
  let cancel: (() => void) | undefined;
  const timedOut = new Promise<TestStateTaskOutcome>((resolve) => {
    cancel = c.clock.schedule(c.clock.now() + seconds * 1000, () =>
      resolve({ error: "States.Timeout" }),
    );
  });
  const call = (async (): Promise<TestStateTaskOutcome> => {
    try {
      const outcome = await c.executor.runTask(
        { executionArn, taskId: id, resource: task.resource, input: task.input },
        { kind: "task", id, stateName: task.stateName, resource: task.resource, input: task.input },
      );
      if (outcome.kind === "succeeded") return { output: outcome.output };
      // Only request-response resources get here (the engine refuses the others unmocked).
      return { error: "States.Runtime", cause: `The ${task.resource} task did not answer` };
    } catch (error) {
      if (error instanceof TaskInvocationError)
        return { error: error.error, cause: error.errorCause };
      return { error: "States.TaskFailed", cause: (error as Error)?.message ?? String(error) };
    }
  })();
  try {
    return await Promise.race([call, timedOut]);
  } finally {
    cancel?.();
  }
}
