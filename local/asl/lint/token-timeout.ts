/**
 * TOKEN_TASK_WITHOUT_TIMEOUT: a `.waitForTaskToken` Task with no TimeoutSeconds,
 * TimeoutSecondsPath, HeartbeatSeconds or HeartbeatSecondsPath. AWS: "A task that is waiting for
 * a task token will wait until execution reaches the one year maximum quota. To avoid stuck
 * executions you can configure a heartbeat timeout interval" ("Wait for a Callback with Task
 * Token", configuring a heartbeat timeout). Such a task fails no state, so no States.Timeout
 * Catch, retry or alarm on timed-out tasks ever sees it: an ERROR.
 */
import type { Diagnostic } from "../types.ts";
import { waitsForToken } from "./resources.ts";
import type { DefinitionIndex } from "./walk.ts";

const BOUNDS = ["TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath"];

export function tokenTaskTimeouts(index: DefinitionIndex): Diagnostic[] {
  return index.states
    .filter((ref) => waitsForToken(ref) && !BOUNDS.some((f) => ref.state[f] !== undefined))
    .map((ref) => ({
      severity: "ERROR",
      code: "TOKEN_TASK_WITHOUT_TIMEOUT",
      location: ref.at,
      message: `Task '${ref.name}' waits for a task token with no TimeoutSeconds or HeartbeatSeconds: if the callback never comes, the execution waits until its own limit (one year for Standard) and no timeout, Catch or alarm fires. Set TimeoutSeconds (or HeartbeatSeconds) and Catch States.Timeout.`,
    }));
}
