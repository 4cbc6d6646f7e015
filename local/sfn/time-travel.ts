/**
 * Time travel for ONE execution: move its clock forward, so that its waits, task timeouts,
 * heartbeats and retry back-offs fire as if that time had passed, while every other execution
 * keeps the runtime's clock. (A `VirtualClock` moves everyone; this moves one execution on a
 * running platform, on the real clock.)
 *
 * How: an execution has a clock offset (`LocalSettings`, a row of the store, so it survives a
 * restart): the executor adds it to the time of every event it feeds that execution's engine and
 * subtracts it from the times of the timers it arms (`executor.ts`), so history timestamps read
 * the execution's own time. Advancing to a target time fires the execution's due timers one at
 * a time, in order, each AT ITS OWN TIME: the offset is raised until the earliest due timer is
 * due now, the timer is fired, and whatever it caused (a compensation's Lambda calls, a retry's
 * back-off) is waited for before the next one — so a 24 h approval timeout advanced by 25 h times
 * out at +24 h, its compensations run right after it, and the execution then rests at +25 h.
 * Each raise of the offset is committed with the timer rows it moves, in one transaction: a
 * runtime killed during an advance resumes at the time reached so far (advance again for the
 * rest); one killed after it resumes at the advanced time.
 *
 * Limits: time only goes forward; child executions started by an advanced execution (`states:
 * startExecution`) keep the runtime's clock; a handler's own clock (`Date.now()`) is not moved.
 */
import { ExecutionDoesNotExist, ValidationException } from "./errors.ts";
import type { Executor } from "./executor/executor.ts";
import type { ExecutionRow, TimerRow } from "./store/index.ts";

export interface AdvanceRequest {
  executionArn: string;
  /** Move forward by this many milliseconds... */
  byMs?: number;
  /** ...or to this time (epoch ms) of the execution's clock. */
  toMs?: number;
}

export interface AdvanceResult {
  executionArn: string;
  /** The execution's time before and after (epoch ms). */
  fromMs: number;
  toMs: number;
  /** The offset from the runtime's clock it now has (ms). */
  offsetMs: number;
  /** Timers fired on the way (waits, timeouts, heartbeats, retry back-offs). */
  timersFired: number;
  status: ExecutionRow["status"];
}

/** Advances of one execution run one after another (a second waits for the first). */
const running = new WeakMap<Executor, Map<string, Promise<unknown>>>();

/** The execution's own time now (epoch ms): the runtime's clock plus its offset. */
export function executionNow(x: Executor, row: ExecutionRow): number {
  return x.clock.now() + x.settings.offset(row.id);
}

/** Moves one running execution's clock forward (see the module comment). */
export function advanceExecution(x: Executor, req: AdvanceRequest): Promise<AdvanceResult> {
  let byArn = running.get(x);
  if (!byArn) {
    byArn = new Map();
    running.set(x, byArn);
  }
  const arn = req.executionArn;
  const queue = byArn;
  const previous = queue.get(arn) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => advance(x, req));
  queue.set(arn, next);
  void next
    .catch(() => undefined)
    .finally(() => {
      if (queue.get(arn) === next) queue.delete(arn);
    });
  return next;
}

async function advance(x: Executor, req: AdvanceRequest): Promise<AdvanceResult> {
  const first = runningRow(x, req.executionArn);
  const fromMs = executionNow(x, first);
  const target = targetOf(req, fromMs);
  let timersFired = 0;
  for (;;) {
    const row = x.execution(first.arn);
    if (row?.status !== "RUNNING") break;
    const offset = x.settings.offset(row.id);
    const due = earliest(x.store.timers.of(row.id), offset, target);
    if (!due) break;
    // Raise the offset so the timer is due now (never lower it: an overdue one fires now), and
    // fire it at its own time (the clock may have ticked since the offset was computed).
    const dueAt = due.fire_at + offset;
    const raised = dueAt - x.clock.now();
    await shift(x, row, Math.max(offset, raised));
    x.timers.removed(row.arn, due.timer_id);
    const applied = await x.deliver(row.arn, {
      type: "timerFired",
      id: due.timer_id,
      at: raised > offset ? dueAt - x.settings.offset(row.id) : x.clock.now(),
    });
    if (applied) timersFired++;
    else await x.commits.write(() => x.store.timers.remove(row.id, due.timer_id));
    // What the timer caused (task invocations, their answers) happens before the next timer.
    await x.idle();
  }
  const row = x.execution(first.arn) ?? first;
  if (row.status === "RUNNING") await shift(x, row, target - x.clock.now());
  return {
    executionArn: row.arn,
    fromMs,
    toMs: row.status === "RUNNING" ? executionNow(x, row) : (row.stop_ms ?? target),
    offsetMs: x.settings.offset(row.id),
    timersFired,
    status: row.status,
  };
}

function runningRow(x: Executor, arn: string): ExecutionRow {
  const row = typeof arn === "string" ? x.execution(arn) : undefined;
  if (!row) throw new ExecutionDoesNotExist(`Execution Does Not Exist: '${String(arn)}'`);
  if (row.status !== "RUNNING") {
    throw new ValidationException(
      `Execution '${arn}' is ${row.status}: only a RUNNING execution can be advanced`,
    );
  }
  return row;
}

function targetOf(req: AdvanceRequest, now: number): number {
  const by = req.byMs;
  const to = req.toMs;
  if ((by === undefined) === (to === undefined)) {
    throw new ValidationException(
      "Advance an execution either by a duration or to a time: pass exactly one of advanceBySeconds and advanceTo",
    );
  }
  if (by !== undefined) {
    if (!Number.isFinite(by) || by < 0) {
      throw new ValidationException(
        `advanceBySeconds must be a non-negative number of seconds, got ${by / 1000}`,
      );
    }
    return now + by;
  }
  if (!Number.isFinite(to) || (to as number) < now) {
    throw new ValidationException(
      `advanceTo (${new Date(to as number).toISOString()}) is before the execution's time (${new Date(now).toISOString()}): time travel only goes forward`,
    );
  }
  return to as number;
}

/** The earliest timer whose time on the execution's clock is at or before `target`. */
function earliest(timers: TimerRow[], offset: number, target: number): TimerRow | undefined {
  let best: TimerRow | undefined;
  for (const t of timers) {
    if (t.fire_at + offset > target) continue;
    if (!best || t.fire_at < best.fire_at) best = t;
  }
  return best;
}

/**
 * Sets the execution's offset, moving its pending timers with it (their rows hold the runtime's
 * time): one transaction, then the timers are re-armed on the clock at their new times. Under the
 * execution's lock, so no step arms a timer with the old offset meanwhile.
 */
function shift(x: Executor, row: ExecutionRow, offset: number): Promise<void> {
  return x.work.locked(row.arn, () => shiftLocked(x, row, offset));
}

async function shiftLocked(x: Executor, row: ExecutionRow, offset: number): Promise<void> {
  const before = x.settings.offset(row.id);
  const delta = offset - before;
  if (delta <= 0) return;
  const settings = {
    exec_id: row.id,
    clock_offset_ms: offset,
    mock_test_case: x.settings.get(row.id)?.mock_test_case ?? null,
  };
  let moved: TimerRow[] = [];
  await x.commits.write(() => {
    moved = x.store.timers.of(row.id).map((t) => ({ ...t, fire_at: t.fire_at - delta }));
    for (const t of moved) x.store.timers.arm(row.id, t.timer_id, t.fire_at);
    x.settings.write(settings);
  });
  x.settings.remember(settings);
  for (const t of moved) x.timers.armed(row.arn, row.id, t.timer_id, t.fire_at);
}

/**
 * The wire API's `CountersignAdvanceExecution` (and `SfnRuntime.advanceExecution`): members in
 * the API's style — seconds, and times as epoch seconds (a JSON number) or ISO 8601 text.
 */
export interface AdvanceExecutionRequest {
  executionArn: string;
  advanceBySeconds?: number;
  advanceTo?: number | string | Date;
}

export async function advanceExecutionAction(x: Executor, req: AdvanceExecutionRequest) {
  if (!req || typeof req !== "object")
    throw new ValidationException("The request must be an object");
  const by = req.advanceBySeconds;
  if (by !== undefined && typeof by !== "number") {
    throw new ValidationException(
      `advanceBySeconds must be a number of seconds, got ${JSON.stringify(by)}`,
    );
  }
  const r = await advanceExecution(x, {
    executionArn: req.executionArn,
    ...(by !== undefined ? { byMs: by * 1000 } : {}),
    ...(req.advanceTo !== undefined ? { toMs: timeOf(req.advanceTo) } : {}),
  });
  return {
    executionArn: r.executionArn,
    status: r.status,
    previousExecutionTime: new Date(r.fromMs),
    executionTime: new Date(r.toMs),
    offsetSeconds: r.offsetMs / 1000,
    timersFired: r.timersFired,
  };
}

function timeOf(value: number | string | Date): number {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === "number"
        ? value * 1000
        : typeof value === "string"
          ? Date.parse(value)
          : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new ValidationException(
      `advanceTo must be a time: epoch seconds or ISO 8601 text such as 2026-01-02T00:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}
