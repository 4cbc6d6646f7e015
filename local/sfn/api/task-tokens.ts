/**
 * SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: a task token (`tokens.ts`) names its
 * execution and task; the engine says whether that task is still awaited. Checks in AWS's order:
 * InvalidToken, then the payload, then TaskDoesNotExist / TaskTimedOut.
 */
import type { EngineEvent } from "../../asl/types.ts";
import { parsePayload, requireString } from "../arns.ts";
import {
  InvalidOutput,
  InvalidToken,
  TaskDoesNotExist,
  TaskTimedOut,
  ValidationException,
} from "../errors.ts";
import type { ApiContext } from "./context.ts";

export async function sendTaskSuccess(c: ApiContext, req: { taskToken: string; output: string }) {
  c.open();
  const target = openTask(c, req.taskToken);
  const output = parsePayload(requireString(req.output, "output"), "output", InvalidOutput).json;
  await deliverToTask(c, target, {
    type: "taskSucceeded",
    id: target.taskId,
    output,
    at: c.clock.now(),
  });
  return {};
}

export async function sendTaskFailure(
  c: ApiContext,
  req: { taskToken: string; error?: string; cause?: string },
) {
  c.open();
  if (req.error !== undefined && req.error.length > 256) {
    throw new ValidationException("error must be at most 256 characters");
  }
  if (req.cause !== undefined && req.cause.length > 32768) {
    throw new ValidationException("cause must be at most 32768 characters");
  }
  const target = openTask(c, req.taskToken);
  await deliverToTask(c, target, {
    type: "taskFailed",
    id: target.taskId,
    // Left out, they stay null: a Catch then sees {"Error": null, "Cause": null}, as on AWS.
    error: req.error ?? null,
    cause: req.cause ?? null,
    at: c.clock.now(),
  });
  return {};
}

export async function sendTaskHeartbeat(c: ApiContext, req: { taskToken: string }) {
  c.open();
  const target = openTask(c, req.taskToken);
  await deliverToTask(c, target, { type: "taskHeartbeat", id: target.taskId, at: c.clock.now() });
  return {};
}

/**
 * The state machine a task token of this runtime was issued by (undefined for any other
 * string). AWS authorises SendTask* against that state machine; a local IAM check needs it.
 */
export function taskTokenStateMachine(c: ApiContext, token: string): string | undefined {
  const target = c.tokens.parse(token);
  if (!target) return undefined;
  const [head, machine] = target.executionArn.split(":execution:");
  return head && machine ? `${head}:stateMachine:${machine.split(":")[0]}` : undefined;
}

function openTask(c: ApiContext, token: unknown) {
  const target = c.tokens.parse(token);
  if (!target) {
    throw new InvalidToken("Invalid Token: the task token is malformed or not from this runtime");
  }
  return target;
}

/** TaskDoesNotExist for an unknown execution; TaskTimedOut when the task is no longer awaited. */
async function deliverToTask(
  c: ApiContext,
  target: { executionArn: string; taskId: string },
  event: EngineEvent,
): Promise<void> {
  if (!c.executor.execution(target.executionArn)) {
    throw new TaskDoesNotExist("Task Does Not Exist");
  }
  if (!(await c.executor.deliver(target.executionArn, event))) {
    throw new TaskTimedOut("Task Timed Out");
  }
}
