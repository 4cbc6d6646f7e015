/**
 * Checks an execution's history against the Retry rules of its definition, per AWS's rules
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html): within one
 * visit of a Task state, a failed attempt is retried when the first retrier whose ErrorEquals
 * matches its error has attempts left (each retrier counts its own), and never otherwise. The
 * invariants alone would let a runtime that retries once too few or too many pass, as long as the
 * handlers stayed idempotent; this reads what the runtime actually did.
 */
import type { HistoryEvent } from "../../local/asl/types.ts";

interface Retrier {
  errorEquals: string[];
  maxAttempts: number;
}

interface AslState {
  Type: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Arguments?: { FunctionName?: string };
  Parameters?: { FunctionName?: string };
}

function statesOf(definition: string): [string, AslState][] {
  return Object.entries((JSON.parse(definition) as { States: Record<string, AslState> }).States);
}

/** The retriers of every Task state of a definition (ASL JSON text), by state name. */
export function retriersOf(definition: string): Map<string, Retrier[]> {
  const out = new Map<string, Retrier[]>();
  for (const [name, state] of statesOf(definition)) {
    if (state.Type !== "Task") continue;
    out.set(
      name,
      (state.Retry ?? []).map((r) => ({
        errorEquals: r.ErrorEquals,
        // AWS's default when MaxAttempts is omitted.
        maxAttempts: r.MaxAttempts ?? 3,
      })),
    );
  }
  return out;
}

/**
 * How often each Lambda function's Task states retry a failed invocation (an error Lambda's
 * service reports, `Lambda.ServiceException`), by function name: the fewest, when several states
 * invoke one function. Fault plans use it to fail a step exactly as often as it can bear.
 */
export function lambdaRetries(definition: string): Map<string, number> {
  const rules = retriersOf(definition);
  const out = new Map<string, number>();
  for (const [name, state] of statesOf(definition)) {
    const arn = state.Arguments?.FunctionName ?? state.Parameters?.FunctionName;
    const fn = arn?.split(":function:")[1]?.split(":")[0];
    const rule = rules.get(name)?.find((r) => matches(r.errorEquals, "Lambda.ServiceException"));
    if (!fn) continue;
    out.set(fn, Math.min(out.get(fn) ?? Number.POSITIVE_INFINITY, rule?.maxAttempts ?? 0));
  }
  return out;
}

/** ErrorEquals matching: the name itself, or a wildcard that covers it. */
function matches(list: string[], error: string): boolean {
  return list.some(
    (name) =>
      name === error ||
      (name === "States.ALL" &&
        error !== "States.Runtime" &&
        error !== "States.DataLimitExceeded") ||
      (name === "States.TaskFailed" && error !== "States.Timeout" && error !== "States.Runtime"),
  );
}

/** The failure an event reports, if it is a task attempt's failure. */
function failureOf(event: HistoryEvent): string | undefined {
  const details = (event.taskFailedEventDetails ?? event.taskTimedOutEventDetails) as
    | { error?: string }
    | undefined;
  return event.type === "TaskFailed" || event.type === "TaskTimedOut"
    ? (details?.error ?? "")
    : undefined;
}

/** Where the history departs from the retry rules (empty when it follows them). */
export function auditRetries(
  history: readonly HistoryEvent[],
  retriers: ReadonlyMap<string, Retrier[]>,
): string[] {
  const problems: string[] = [];
  let state: string | undefined;
  let counts: number[] = [];
  /** Set after a failure: whether another attempt must follow (and why, for the message). */
  let expected: { retry: boolean; why: string } | undefined;
  const close = () => {
    if (expected?.retry) problems.push(`${state}: not retried after ${expected.why}`);
    expected = undefined;
  };
  for (const event of history) {
    if (event.type.endsWith("StateEntered")) {
      close();
      state = (event.stateEnteredEventDetails as { name: string }).name;
      counts = [];
      continue;
    }
    if (event.type === "TaskScheduled") {
      if (expected && !expected.retry) problems.push(`${state}: retried after ${expected.why}`);
      expected = undefined;
      continue;
    }
    const error = failureOf(event);
    if (error === undefined || state === undefined) continue;
    const rules = retriers.get(state) ?? [];
    const i = rules.findIndex((r) => matches(r.errorEquals, error));
    const rule = rules[i];
    const used = counts[i] ?? 0;
    if (!rule) {
      expected = { retry: false, why: `${error}, which no retrier matches` };
    } else if (used >= rule.maxAttempts) {
      expected = { retry: false, why: `${error} with its ${rule.maxAttempts} retries used` };
    } else {
      counts[i] = used + 1;
      expected = { retry: true, why: `${error} (retry ${used + 1} of ${rule.maxAttempts})` };
    }
  }
  close();
  return problems;
}
