/**
 * Derives each state's status from an execution's AWS-shaped history events, the way the Step
 * Functions console colours its graph: succeeded, failed, caught (failed, then left through a
 * Catch), running, waiting (a `.waitForTaskToken` task submitted, no callback yet), not reached.
 * Event shapes: https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */

export type StateStatus = "succeeded" | "failed" | "caught" | "running" | "waiting" | "not-reached";

/** Human labels; the UI always shows these next to the colour. */
export const STATUS_LABEL: Record<StateStatus, string> = {
  succeeded: "Succeeded",
  failed: "Failed",
  caught: "Caught",
  running: "Running",
  waiting: "Waiting for callback",
  "not-reached": "Not reached",
};

/** A history event as the API returns it (timestamp ISO 8601 on the wire, ms in the engine). */
export interface HistoryEventLike {
  id: number;
  previousEventId?: number;
  timestamp: string | number;
  type: string;
  [details: string]: unknown;
}

export interface StateRun {
  status: StateStatus;
  /** Visits of this state (Map iterations, loops). */
  visits: number;
  /** Visits by their own outcome, for "3 runs: 2 succeeded, 1 caught". */
  counts: Partial<Record<StateStatus, number>>;
  /** Attempts beyond the first (Retry). */
  retries: number;
  /** From the latest visit that has them; JSON strings as on AWS. */
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
}

export interface ExecutionPath {
  /** Keyed by state name; states never entered are absent (not reached). */
  states: Map<string, StateRun>;
  /** Transitions that happened, as "from->to" state names (Start/End markers use the graph ids). */
  transitions: Set<string>;
  /** Transitions that left a state through a Catch. */
  caughtTransitions: Set<string>;
  /** The execution's own status once it has finished. */
  finished?: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
}

interface Visit {
  name: string;
  kind: string;
  status: StateStatus;
  open: boolean;
  failed: boolean;
  waiting: boolean;
  /** The task is a `.waitForTaskToken` call. */
  callback: boolean;
  retries: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
}

const PRIORITY: StateStatus[] = ["failed", "waiting", "running", "caught", "succeeded"];

/** The detail object of an event, wherever AWS put it (`<camelType>EventDetails`). */
export function eventDetails(event: HistoryEventLike): Record<string, unknown> | undefined {
  const key = `${event.type[0]!.toLowerCase()}${event.type.slice(1)}EventDetails`;
  const direct = event[key];
  if (direct && typeof direct === "object") return direct as Record<string, unknown>;
  if (/StateEntered$/.test(event.type))
    return event.stateEnteredEventDetails as Record<string, unknown>;
  if (/StateExited$/.test(event.type))
    return event.stateExitedEventDetails as Record<string, unknown>;
  return undefined;
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

const FAILURE =
  /^(Task|LambdaFunction|Activity)(Failed|TimedOut|StartFailed|SubmitFailed|ScheduleFailed)$|^(Map|Parallel)State(Failed|Aborted)$|^MapRunFailed$/;

/** Folds the history into per-state runs and the transitions taken. */
export function deriveExecutionPath(events: readonly HistoryEventLike[]): ExecutionPath {
  const byId = new Map<number, HistoryEventLike>();
  const visitOfEvent = new Map<number, Visit>();
  const visits: Visit[] = [];
  const transitions = new Set<string>();
  const caughtTransitions = new Set<string>();
  let finished: ExecutionPath["finished"];
  let lastExited: Visit | undefined;
  let startTaken = false;

  // The visit an event belongs to: follow previousEventId back to a visit (AWS links each task
  // event to the one before it); else the latest open visit of a compatible kind.
  const owner = (event: HistoryEventLike, kind: string): Visit | undefined => {
    let cursor: HistoryEventLike | undefined = event;
    for (let hops = 0; cursor && hops < 50; hops++) {
      const prev: HistoryEventLike | undefined = cursor.previousEventId
        ? byId.get(cursor.previousEventId)
        : undefined;
      if (!prev) break;
      const visit = visitOfEvent.get(prev.id);
      if (visit?.open && visit.kind === kind) return visit;
      cursor = prev;
    }
    for (let i = visits.length - 1; i >= 0; i--) {
      const visit = visits[i]!;
      if (visit.open && visit.kind === kind && !(kind !== "Task" && visit.failed)) return visit;
    }
    return undefined;
  };

  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    const previous = index > 0 ? events[index - 1] : undefined;
    byId.set(event.id, event);
    const details = eventDetails(event) ?? {};
    const type = event.type;

    const entered = /^(\w+)StateEntered$/.exec(type);
    if (entered) {
      const name = str(details.name) ?? "?";
      const visit: Visit = {
        name,
        kind: entered[1]!,
        status: "running",
        open: true,
        failed: false,
        waiting: false,
        callback: false,
        retries: 0,
      };
      const input = str(details.input);
      if (input !== undefined) visit.input = input;
      if (entered[1] === "Fail") {
        visit.status = "failed";
        visit.failed = true;
        visit.open = false;
      }
      visits.push(visit);
      visitOfEvent.set(event.id, visit);
      // The state left just before: the event this one links to, else the one just before it.
      const linked = event.previousEventId ? byId.get(event.previousEventId) : undefined;
      const exit = [linked, previous].find((e) => e && /StateExited$/.test(e.type));
      const from = exit ? visitOfEvent.get(exit.id) : undefined;
      if (from) {
        transitions.add(`${from.name}->${name}`);
        if (from.status === "caught") caughtTransitions.add(`${from.name}->${name}`);
      } else if (!startTaken) {
        startTaken = true;
        transitions.add(`__start__->${name}`);
      }
      continue;
    }

    const exited = /^(\w+)StateExited$/.exec(type);
    if (exited) {
      const name = str(details.name);
      const visit = [...visits].reverse().find((v) => v.open && v.name === name);
      if (visit) {
        visit.open = false;
        visit.waiting = false;
        visit.status = visit.failed ? "caught" : "succeeded";
        const output = str(details.output);
        if (output !== undefined) visit.output = output;
        visitOfEvent.set(event.id, visit);
        lastExited = visit;
      }
      continue;
    }

    if (/^Execution(Succeeded|Failed|TimedOut|Aborted)$/.test(type)) {
      finished = (
        {
          ExecutionSucceeded: "SUCCEEDED",
          ExecutionFailed: "FAILED",
          ExecutionTimedOut: "TIMED_OUT",
          ExecutionAborted: "ABORTED",
        } as const
      )[type as "ExecutionSucceeded"];
      if (finished === "SUCCEEDED" && lastExited) transitions.add(`${lastExited.name}->__end__`);
      continue;
    }

    const kind =
      /^(Map|Parallel)/.exec(type)?.[1] ??
      (/^(Task|LambdaFunction|Activity)/.test(type) ? "Task" : undefined);
    if (!kind) continue;
    const visit = owner(event, kind);
    if (!visit) continue;
    visitOfEvent.set(event.id, visit);

    if (FAILURE.test(type)) {
      visit.failed = true;
      visit.waiting = false;
      const error = str(details.error);
      const cause = str(details.cause);
      if (error !== undefined) visit.error = error;
      if (cause !== undefined) visit.cause = cause;
    } else if (/^(TaskScheduled|LambdaFunctionScheduled|ActivityScheduled)$/.test(type)) {
      if (visit.failed) visit.retries += 1; // scheduled again after a failure: a Retry
      visit.failed = false;
      visit.callback = String(details.resource ?? "").endsWith(".waitForTaskToken");
    } else if (type === "TaskSubmitted" || (type === "TaskStarted" && visit.callback)) {
      // AWS records TaskSubmitted once the callback task is handed over; an engine that does not
      // still shows a started callback task, which is then waiting for its token too.
      visit.waiting = true;
    } else if (/^(TaskSucceeded|LambdaFunctionSucceeded|ActivitySucceeded)$/.test(type)) {
      visit.waiting = false;
      const output = str(details.output);
      if (output !== undefined) visit.output = output;
    }
  }

  const states = new Map<string, StateRun>();
  for (const visit of visits) {
    let status = visit.status;
    if (visit.open) {
      if (visit.failed) status = "failed";
      else if (finished) status = finished === "SUCCEEDED" ? "succeeded" : "failed";
      else status = visit.waiting ? "waiting" : "running";
    }
    const run = states.get(visit.name) ?? { status, visits: 0, counts: {}, retries: 0 };
    run.visits += 1;
    run.counts[status] = (run.counts[status] ?? 0) + 1;
    run.retries += visit.retries;
    if (PRIORITY.indexOf(status) < PRIORITY.indexOf(run.status)) run.status = status;
    for (const key of ["input", "output", "error", "cause"] as const) {
      if (visit[key] !== undefined) run[key] = visit[key];
    }
    states.set(visit.name, run);
  }
  return { states, transitions, caughtTransitions, ...(finished ? { finished } : {}) };
}

/** The status of one state, "not-reached" when the history never entered it. */
export function statusOf(path: ExecutionPath, name: string): StateStatus {
  return path.states.get(name)?.status ?? "not-reached";
}

/**
 * Whether the execution went along an edge. `from`/`to` are state names, or the Start / End
 * marker ids (`__start__`, `__end__`). A Catch edge counts only when the state was left by a catch.
 */
export function wasTaken(path: ExecutionPath, from: string, to: string, kind: string): boolean {
  const key = `${from}->${to}`;
  if (kind === "catch") return path.caughtTransitions.has(key);
  return path.transitions.has(key) && !path.caughtTransitions.has(key);
}
