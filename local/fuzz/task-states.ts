/**
 * The Task states of a definition (nested Parallel branches and Map processors included), each
 * with the most retries its Retry rules allow — what the fuzzer injects faults into.
 */
import type { TaskInfo } from "./schedule.ts";

type Obj = Record<string, unknown>;

/** Every Task state of `definition`, in document order. */
export function taskStates(definition: unknown): TaskInfo[] {
  const out: TaskInfo[] = [];
  const walk = (machine: unknown) => {
    const states = (machine as { States?: Obj } | null)?.States;
    if (!states || typeof states !== "object") return;
    for (const [name, s] of Object.entries(states)) {
      const state = s as Obj;
      if (state.Type === "Task") {
        const retriers = Array.isArray(state.Retry) ? (state.Retry as Obj[]) : [];
        // AWS's default MaxAttempts is 3 (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
        const maxRetries = Math.max(0, ...retriers.map((r) => Number(r.MaxAttempts ?? 3)));
        out.push({ name, resource: String(state.Resource ?? ""), maxRetries });
      }
      for (const branch of (state.Branches as unknown[] | undefined) ?? []) walk(branch);
      walk(state.ItemProcessor ?? state.Iterator);
    }
  };
  walk(definition);
  return out;
}
