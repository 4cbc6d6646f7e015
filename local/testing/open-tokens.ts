/**
 * The task tokens an execution waits on now, read from its history (GetExecutionHistory): each
 * `.waitForTaskToken` task scheduled and not yet answered, with its state and parameters. The
 * token is the string in the parameters (where the definition put `$$.Task.Token`) that the
 * runtime recognises as one it issued. Used by the testing library and `asl fuzz`.
 */
import type { SfnRuntime } from "../sfn/index.ts";

export interface OpenToken {
  state: string;
  token: string;
  /** The task's parameters, parsed. */
  parameters: unknown;
}

type Event = { type: string; id: number; previousEventId?: number; [details: string]: unknown };

/** Open callbacks of `executionArn`, newest first. */
export function openTaskTokens(runtime: SfnRuntime, events: Event[]): OpenToken[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  const closed = new Set<number>();
  for (const e of events) {
    if (/^Task(Succeeded|Failed|TimedOut|SubmitFailed|StartFailed)$/.test(e.type)) {
      // The outcome's chain leads back to its TaskScheduled event.
      let p = byId.get(e.previousEventId ?? -1);
      while (p && p.type !== "TaskScheduled") p = byId.get(p.previousEventId ?? -1);
      if (p) closed.add(p.id);
    }
  }
  const open: OpenToken[] = [];
  for (const e of [...events].reverse()) {
    if (e.type !== "TaskScheduled" || closed.has(e.id)) continue;
    const entered = byId.get(e.previousEventId ?? -1);
    const state = (entered?.stateEnteredEventDetails as { name?: string } | undefined)?.name;
    const text = (e.taskScheduledEventDetails as { parameters?: string }).parameters;
    if (!state || !text) continue;
    const parameters: unknown = JSON.parse(text);
    const token = findToken(runtime, parameters);
    if (token) open.push({ state, token, parameters });
  }
  return open;
}

function findToken(runtime: SfnRuntime, value: unknown): string | undefined {
  if (typeof value === "string") return runtime.taskTokenStateMachine(value) ? value : undefined;
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) {
      const t = findToken(runtime, v);
      if (t) return t;
    }
  }
  return undefined;
}
