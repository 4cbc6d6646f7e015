/**
 * The shared machinery of Map and Parallel: child frames started up to MaxConcurrency, results
 * gathered in order, failures counted against the tolerated thresholds, the other children
 * cancelled when the state fails. Children run one after another inside a step (deterministic),
 * each until it waits or ends. What became of each child is kept, so a redrive can rerun only the
 * ones that did not succeed (`../redrive.ts`).
 */
import { runFrame, settle } from "../engine.ts";
import type { Outcome } from "../io.ts";
import type { CompiledGraph } from "../model.ts";
import { resumeFrame } from "../redrive.ts";
import { type Container, type Ctx, emit, type Frame } from "../snapshot.ts";
import type { Json } from "../types.ts";
import { releaseTask } from "./task.ts";

/**
 * How a container makes its children and finishes. Each call gets the engine call it runs in:
 * children end in later steps than the one that started them, and what they emit belongs there.
 */
export interface ContainerSpec {
  graphFor(index: number): CompiledGraph;
  inputFor(ctx: Ctx, index: number): Json | Promise<Json>;
  /** Called once all children succeeded (or failures stayed tolerated). */
  succeed(ctx: Ctx, results: Json[]): Promise<Outcome>;
  /** Called when the container fails; returns the failure outcome. */
  fail(ctx: Ctx, error: string | null | undefined, cause: string | null | undefined): Outcome;
}

/** What became of a child (`Container.childStatus`): a redrive reruns all but the succeeded. */
export const CHILD_NOT_STARTED = 0;
export const CHILD_RUNNING = 1;
export const CHILD_SUCCEEDED = 2;
export const CHILD_FAILED = 3;
export const CHILD_ABORTED = 4;

const specs = new WeakMap<Container, ContainerSpec>();
const outcomes = new WeakMap<Container, Outcome>();

export function newContainer(
  kind: "map" | "parallel",
  owner: Frame,
  count: number,
  opts: { maxConcurrency: number; toleratedCount: number; toleratedPercentage: number },
): Container {
  return {
    kind,
    owner,
    state: owner.state,
    inputs: new Array(count),
    children: [],
    results: new Array(count),
    next: 0,
    active: 0,
    completed: 0,
    failures: 0,
    maxConcurrency: opts.maxConcurrency,
    toleratedCount: opts.toleratedCount,
    toleratedPercentage: opts.toleratedPercentage,
    pumping: false,
    finished: false,
    cancelled: false,
    childStatus: new Uint8Array(count),
  };
}

/** Starts the children; returns the state's outcome if everything ended within this step. */
export async function startContainer(
  ctx: Ctx,
  c: Container,
  spec: ContainerSpec,
): Promise<Outcome> {
  specs.set(c, spec);
  c.owner.pending = { kind: "container", container: c };
  c.owner.lastContainer = c;
  const out = await pump(ctx, c);
  return out ?? { kind: "wait" };
}

export async function pump(ctx: Ctx, c: Container): Promise<Outcome | undefined> {
  const spec = specs.get(c) as ContainerSpec;
  c.pumping = true;
  const n = c.inputs.length;
  while (
    !c.finished &&
    (c.queue ? c.queue.length > 0 : c.next < n) &&
    (c.maxConcurrency <= 0 || c.active < c.maxConcurrency)
  ) {
    const i = c.queue ? (c.queue.shift() as number) : c.next++;
    c.active++;
    c.childStatus[i] = CHILD_RUNNING;
    const earlier = c.children[i];
    if (earlier) {
      // A redriven child that failed or was aborted: it goes on from the state it stopped in.
      if (c.kind === "map") iterationStarted(ctx, c, earlier);
      const running = resumeFrame(ctx, earlier);
      if (running) await running;
      continue;
    }
    const graph = spec.graphFor(i);
    let input = spec.inputFor(ctx, i);
    if (input instanceof Promise) input = await input;
    const owner = c.owner;
    const child: Frame = {
      graph,
      state: graph.states.get(graph.startAt) as Frame["state"],
      input,
      vars: { ...owner.vars },
      enteredEventId: 0,
      enteredTime: ctx.now,
      retryCounts: [],
      parent: c,
      index: i,
      silent: owner.silent || (c.kind === "map" && c.state.distributed === true),
      lastContainer: undefined,
      lastMapRun: undefined,
      done: false,
      ownsInput: false,
    };
    c.children[i] = child;
    if (c.kind === "map") iterationStarted(ctx, c, child);
    const running = runFrame(ctx, child);
    if (running) await running;
  }
  c.pumping = false;
  if (!c.finished && c.completed === n) {
    c.finished = true;
    c.owner.pending = undefined;
    outcomes.set(c, await spec.succeed(ctx, c.results));
  }
  return c.finished ? outcomes.get(c) : undefined;
}

function iterationStarted(ctx: Ctx, c: Container, child: Frame): void {
  emit(
    ctx,
    child.silent ? child : c.owner,
    "MapIterationStarted",
    "mapIterationStartedEventDetails",
    { name: c.state.name, index: child.index },
  );
}

function tolerated(c: Container): boolean {
  const countSet = c.toleratedCount >= 0;
  const pctSet = c.toleratedPercentage >= 0;
  if (!countSet && !pctSet) return c.failures === 0;
  if (countSet && c.failures <= c.toleratedCount) return true;
  if (pctSet && (c.failures * 100) / c.inputs.length <= c.toleratedPercentage) return true;
  return false;
}

function iterationEvent(ctx: Ctx, c: Container, child: Frame, type: string, key: string): void {
  emit(ctx, child, type, key, { name: c.state.name, index: child.index });
}

/** A child frame ended; may start more children or finish the state. */
export function childFinished(
  ctx: Ctx,
  c: Container,
  child: Frame,
  output: Json | undefined,
  error: string | null | undefined,
  cause: string | null | undefined,
  failed: boolean,
): void | Promise<void> {
  if (c.finished) return;
  c.active--;
  c.completed++;
  const spec = specs.get(c) as ContainerSpec;
  if (!failed) {
    // A failed child is kept: a redrive resumes it where it stopped.
    c.children[child.index] = undefined;
    c.childStatus[child.index] = CHILD_SUCCEEDED;
    c.results[child.index] = output as Json;
    if (c.kind === "map")
      iterationEvent(ctx, c, child, "MapIterationSucceeded", "mapIterationSucceededEventDetails");
  } else {
    c.failures++;
    c.childStatus[child.index] = CHILD_FAILED;
    if (c.kind === "map")
      iterationEvent(ctx, c, child, "MapIterationFailed", "mapIterationFailedEventDetails");
    const errorOutput: Record<string, Json> = {};
    if (error !== undefined && error !== null) errorOutput.Error = error;
    if (cause !== undefined && cause !== null) errorOutput.Cause = cause;
    c.results[child.index] = errorOutput;
    if (!tolerated(c)) {
      c.finished = true;
      for (const other of c.children) {
        if (other && !other.done) {
          cancelFrame(ctx, other);
          if (c.kind === "map") {
            emit(ctx, other, "MapIterationAborted", "mapIterationAbortedEventDetails", {
              name: c.state.name,
              index: other.index,
            });
          }
        }
      }
      c.owner.pending = undefined;
      c.failure = { error: error ?? undefined, cause: cause ?? undefined };
      outcomes.set(c, spec.fail(ctx, error, cause));
    }
  }
  if (c.pumping) return;
  return pump(ctx, c).then((out) => {
    if (out) return settle(ctx, c.owner, out);
  });
}

/** Cancels whatever a frame (and its children) waits for: tasks, timers, nested containers. */
export function cancelFrame(ctx: Ctx, frame: Frame): void {
  const p = frame.pending;
  frame.done = true;
  frame.pending = undefined;
  if (frame.parent && frame.parent.childStatus[frame.index] === CHILD_RUNNING) {
    frame.parent.childStatus[frame.index] = CHILD_ABORTED;
  }
  if (!p) return;
  if (p.kind === "task") releaseTask(ctx, p, true);
  else if (p.kind === "wait" || p.kind === "retry") {
    ctx.s.waiters.delete(p.timerId);
    ctx.commands.push({ kind: "cancelTimer", id: p.timerId });
  } else {
    p.container.finished = true;
    p.container.cancelled = true;
    for (const child of p.container.children) if (child && !child.done) cancelFrame(ctx, child);
  }
}
