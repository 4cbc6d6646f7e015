/**
 * TASK_WITHOUT_CATCH: a Task that may change something, with no Catch that takes every error it
 * can raise, here or on an enclosing Map or Parallel. When it fails after its retries the
 * execution fails and nothing undoes what ran before (AWS "Handling errors in Step Functions
 * workflows": an error not caught fails the state, and with it the execution). A WARNING: the
 * saga rules (`saga-flow.ts`) raise it to UNCOMPENSATED_FAILURE where a step is then left done.
 */
import type { Diagnostic } from "../types.ts";
import { resourceOf } from "./resources.ts";
import type { Role } from "./roles.ts";
import { catchers, type DefinitionIndex, type StateRef } from "./walk.ts";

/**
 * Whether a state's own catchers take every error it can raise: `States.ALL`, or
 * `States.TaskFailed` (which matches every error but the `States.*` ones, per "Error names")
 * plus `States.Timeout` when the state has a timeout or heartbeat.
 */
export function catchesEverything(ref: StateRef): boolean {
  const errors = new Set(catchers(ref).flatMap((c) => c.errors));
  if (errors.has("States.ALL")) return true;
  if (!errors.has("States.TaskFailed") || ref.type !== "Task") return false;
  const bounded = [
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
  ].some((f) => ref.state[f] !== undefined);
  return !bounded || errors.has("States.Timeout");
}

/** Caught here or by an enclosing Map/Parallel. */
export function caughtAnywhere(ref: StateRef): boolean {
  for (let r: StateRef | undefined = ref; r; r = r.scope.container) {
    if (catchesEverything(r)) return true;
  }
  return false;
}

export function tasksWithoutCatch(index: DefinitionIndex, roles: Map<string, Role>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ref of index.states) {
    const role = roles.get(ref.name)?.kind;
    if (ref.type !== "Task" || role === "read-only" || role === "none") continue;
    if (caughtAnywhere(ref)) continue;
    const some = catchers(ref).length > 0;
    out.push({
      severity: "WARNING",
      code: "TASK_WITHOUT_CATCH",
      location: ref.at,
      message: `Task '${ref.name}' (${resourceOf(ref) || "no Resource"}) may change something and ${some ? "its Catch does not take every error (add States.ALL)" : "has no Catch"}: when it fails after its retries the execution fails and nothing undoes what ran before. Add a Catch, or mark it lint:read-only if it changes nothing.`,
    });
  }
  return out;
}
