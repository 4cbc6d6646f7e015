/**
 * The Parallel state: runs each branch on the (effective) input and outputs their results in
 * branch order; the first failing branch fails the state and cancels the others. Per AWS's
 * "Parallel workflow state".
 */
import { completeState, effectiveInput, type Outcome } from "../io.ts";
import type { CompiledGraph } from "../model.ts";
import { type Ctx, emit, type Frame } from "../snapshot.ts";
import { newContainer, startContainer } from "./container.ts";
import { failureOf } from "./failure.ts";

export async function executeParallel(ctx: Ctx, frame: Frame): Promise<Outcome> {
  const st = frame.state;
  frame.lastContainer = undefined; // a run of an earlier visit is not this one's
  const input = await effectiveInput(ctx, frame, st);
  const branches = st.branches as CompiledGraph[];
  emit(ctx, frame, "ParallelStateStarted");
  const c = newContainer("parallel", frame, branches.length, {
    maxConcurrency: 0,
    toleratedCount: -1,
    toleratedPercentage: -1,
  });
  return startContainer(ctx, c, {
    graphFor: (i) => branches[i] as CompiledGraph,
    inputFor: () => input,
    succeed: async (now, results) => {
      emit(now, frame, "ParallelStateSucceeded");
      try {
        return await completeState(now, frame, st, results);
      } catch (e) {
        return failureOf(now, frame, e);
      }
    },
    fail: (_now, error, cause) => {
      const out: Outcome = { kind: "fail" };
      if (error !== undefined) out.error = error;
      if (cause !== undefined) out.cause = cause;
      return out;
    },
  });
}
