/**
 * Expiry and reminders at their time, not at the next sweep. The sweep timer reads when the sweep
 * index's first action is due (one key-only read), sleeps until then — but never longer than
 * `pollMs`, so a request made meanwhile with an earlier time is seen within that — and sweeps.
 * `approvals list`, the dashboard and the requester's expiry email so agree within a second.
 *
 * The same loop runs on AWS and locally. On AWS the SendReminders schedule fires every minute;
 * each invocation sweeps, then waits for the due times that fall within its minute (`until`) and
 * returns as soon as nothing more is due before the next invocation (`stopWhenIdle`), so an idle
 * minute costs one short invocation. Locally the platform runs the loop until it stops. Time
 * comes in through `now` and `sleep` (a virtual clock in tests), never read here directly.
 */

/** What the timer drives: the sweep itself and the index's next due time. */
export interface SweepTimerDeps {
  sweep(): Promise<unknown>;
  /** Epoch ms of the earliest next action, or undefined when nothing waits. */
  nextDue(): Promise<number | undefined>;
  now(): number;
  /** Resolves after `ms` (or at once when `signal` aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface SweepTimerOptions {
  /** Stop at this time (epoch ms); Infinity runs until `signal` aborts. */
  until: number;
  signal?: AbortSignal;
  /** The longest sleep: how late a request made during a sleep can be seen. Default 1 s. */
  pollMs?: number;
  /**
   * After a sweep that left something due (a step failed: SES or Step Functions unavailable),
   * how long to wait before trying again, rather than retrying every `pollMs`. Default 15 s.
   */
  retryMs?: number;
  /** A full sweep at least this often even when the index says nothing is due. Default 60 s. */
  fullEveryMs?: number;
  /**
   * Return once nothing is due before `until` (a scheduled invocation: the next one takes over)
   * instead of polling for requests made meanwhile.
   */
  stopWhenIdle?: boolean;
}

/** Runs the sweep at each due time until `until`; returns how many sweeps ran. */
export async function runSweepTimer(
  deps: SweepTimerDeps,
  options: SweepTimerOptions,
): Promise<number> {
  const pollMs = options.pollMs ?? 1_000;
  const retryMs = options.retryMs ?? 15_000;
  const fullEveryMs = options.fullEveryMs ?? 60_000;
  let sweeps = 0;
  let lastSweep = Number.NEGATIVE_INFINITY;
  let stuckUntil = Number.NEGATIVE_INFINITY;
  while (!options.signal?.aborted && deps.now() < options.until) {
    const now = deps.now();
    const next = await deps.nextDue();
    const due = next !== undefined && next <= now && now >= stuckUntil;
    if (options.stopWhenIdle && sweeps > 0 && (next === undefined || next >= options.until)) break;
    if (due || now - lastSweep >= fullEveryMs) {
      await deps.sweep();
      sweeps++;
      lastSweep = deps.now();
      const after = await deps.nextDue();
      // Still due right after a sweep: a step failed and stays due; retry later, not every poll.
      stuckUntil = after !== undefined && after <= lastSweep ? lastSweep + retryMs : lastSweep;
      continue;
    }
    // Wake at the next due time (or, while a failed step stays due, at its retry), but at least
    // every poll, for the full sweep, and at the end.
    const wake = Math.min(
      next === undefined ? Number.POSITIVE_INFINITY : next > now ? next : stuckUntil,
      now + pollMs,
      lastSweep + fullEveryMs,
      options.until,
    );
    await deps.sleep(Math.max(0, wake - now), options.signal);
  }
  return sweeps;
}

/** A real sleep that ends early when `signal` aborts (for the Lambda and the local platform). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
