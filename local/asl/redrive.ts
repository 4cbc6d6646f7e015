/**
 * Redrive (RedriveExecution): an execution that failed, timed out or was aborted goes on from the
 * states where it stopped, with the snapshot it ended with, per AWS's "Restarting state machine
 * executions with redrive" (docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html):
 *
 * - `ExecutionRedriven` (with the new redrive count) is appended to the same history; the
 *   execution's own TimeoutSeconds starts again;
 * - every unfinished thread (the execution, and inside a Map or Parallel each iteration or branch
 *   that failed or was aborted) enters again the state it stopped in: a Task is scheduled anew
 *   (its retry counts and TimeoutSeconds start from zero), a Choice is evaluated again, a Wait
 *   waits again, a Fail fails again;
 * - a Map or Parallel run that failed because of a child reruns only the children that did not
 *   succeed (failed, aborted or never started), each from the state it stopped in, and keeps the
 *   results of the others; one that failed with `States.DataLimitExceeded`, or after all its
 *   children succeeded, runs again whole;
 * - a Distributed Map whose Map Run did not succeed redrives that Map Run (same ARN,
 *   `MapRunRedriven`): the runtime reruns only its children that did not succeed
 *   ("Redriving Map Runs" in AWS's guide).
 *
 * Pure like the rest of the engine: the durable runtime records the `redrive` event and replays it
 * like any other.
 */
import { armExecutionTimeout, markEntered, runFrame, settle } from "./engine.ts";
import type { Outcome } from "./io.ts";
import { type Container, type Ctx, emit, type Frame } from "./snapshot.ts";
import { CHILD_SUCCEEDED, pump } from "./states/container.ts";
import { executeDistributedMap } from "./states/distributed/map-run.ts";
import { failureOf } from "./states/failure.ts";

/**
 * Applies a `redrive` event to an execution that ended unsuccessfully; `fromStart`: it runs again
 * from its first state with its input (a redriven Map Run's EXPRESS child).
 */
export function redriveExecution(ctx: Ctx, fromStart = false): void | Promise<void> {
  const s = ctx.s;
  s.status = "RUNNING";
  s.output = undefined;
  s.error = undefined;
  s.cause = undefined;
  s.exec.redriveCount++;
  s.exec.redriveTime = ctx.now;
  emit(ctx, null, "ExecutionRedriven", "executionRedrivenEventDetails", {
    redriveCount: s.exec.redriveCount,
  });
  armExecutionTimeout(ctx);
  if (!fromStart) return resumeFrame(ctx, s.root);
  const root = s.root;
  root.state = root.graph.states.get(root.graph.startAt) as Frame["state"];
  root.input = s.exec.input;
  root.vars = {};
  root.retryCounts = [];
  root.lastContainer = undefined;
  root.lastMapRun = undefined;
  root.textOf = undefined;
  root.text = undefined;
  root.textOpen = undefined;
  root.fresh = undefined;
  root.ownsInput = false;
  root.done = false;
  root.pending = undefined;
  return runFrame(ctx, root);
}

/**
 * Makes a frame that failed or was aborted go on: it enters its state again, or, in a Map or
 * Parallel state whose run failed because of a child or was cancelled, reruns the children that
 * did not succeed.
 */
export function resumeFrame(ctx: Ctx, frame: Frame): void | Promise<void> {
  frame.done = false;
  frame.pending = undefined;
  const c = frame.lastContainer;
  if (c && c.state === frame.state && reruns(c)) {
    markEntered(ctx, frame);
    return settle(ctx, frame, rerunContainer(ctx, c));
  }
  const run = frame.lastMapRun;
  if (run && run.state === frame.state) {
    markEntered(ctx, frame);
    const out = executeDistributedMap(ctx, frame, run).catch((e: unknown) =>
      failureOf(ctx, frame, e),
    );
    return settle(ctx, frame, out);
  }
  return runFrame(ctx, frame);
}

/** Whether a run is resumed child by child (else its state runs again whole). */
function reruns(c: Container): boolean {
  if (c.cancelled) return true;
  return c.failure !== undefined && c.failure.error !== "States.DataLimitExceeded";
}

async function rerunContainer(ctx: Ctx, c: Container): Promise<Outcome> {
  const owner = c.owner;
  const n = c.inputs.length;
  if (c.kind === "map") {
    emit(ctx, owner, "MapStateStarted", "mapStateStartedEventDetails", { length: n });
  } else emit(ctx, owner, "ParallelStateStarted");
  const queue: number[] = [];
  let succeeded = 0;
  for (let i = 0; i < n; i++) {
    if (c.childStatus[i] === CHILD_SUCCEEDED) succeeded++;
    else queue.push(i);
  }
  c.queue = queue;
  c.finished = false;
  c.cancelled = false;
  c.failure = undefined;
  c.failures = 0;
  c.completed = succeeded;
  c.active = 0;
  owner.pending = { kind: "container", container: c };
  const out = await pump(ctx, c);
  return out ?? { kind: "wait" };
}
