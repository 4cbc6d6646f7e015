/**
 * Time for the runtime: `realClock` for serving, `VirtualClock` for tests. Durable timers (Wait,
 * TimeoutSeconds, HeartbeatSeconds, Retry backoff) are armed on a clock; a virtual clock fires them
 * when a test jumps it forward, so a one-year Wait finishes in milliseconds.
 */

/** Cancels a scheduled callback; harmless after it ran. */
export type Cancel = () => void;

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Run `fn` once at (or soon after) `at`, epoch ms. Past times run as soon as possible. */
  schedule(at: number, fn: () => unknown): Cancel;
}

// setTimeout overflows above 2^31-1 ms (~24.8 days); long timers re-arm in steps.
const MAX_DELAY = 2_147_483_647;

/** Wall-clock time; timers are unref'd so they never keep a process alive on their own. */
export const realClock: Clock = {
  now: () => Date.now(),
  schedule(at, fn) {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = () => {
      if (cancelled) return;
      const delay = at - Date.now();
      if (delay > MAX_DELAY) {
        handle = setTimeout(arm, MAX_DELAY);
      } else {
        handle = setTimeout(
          () => {
            if (!cancelled) void fn();
          },
          Math.max(0, delay),
        );
      }
      handle.unref();
    };
    arm();
    return () => {
      cancelled = true;
      if (handle) clearTimeout(handle);
    };
  },
};

interface Pending {
  at: number;
  seq: number;
  fn: () => unknown;
  cancelled: boolean;
}

/**
 * A clock that only moves when told. `advance`/`advanceTo` fire due callbacks one at a time in
 * (time, scheduling) order, awaiting each one and then every registered settle hook (the
 * runtime's "all in-flight work done"), so work a timer causes — including new, earlier timers —
 * happens before the clock moves on.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private pending: Pending[] = [];
  private readonly settlers = new Set<() => Promise<void>>();

  constructor(start: number | Date = Date.UTC(2025, 0, 1)) {
    this.current = typeof start === "number" ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  schedule(at: number, fn: () => unknown): Cancel {
    const entry: Pending = { at, seq: this.seq++, fn, cancelled: false };
    this.pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  /** Registers work to await after each fired callback (returns an unregister function). */
  onSettle(settle: () => Promise<void>): () => void {
    this.settlers.add(settle);
    return () => this.settlers.delete(settle);
  }

  /** Moves time forward by `ms`, firing everything due on the way. */
  advance(ms: number): Promise<void> {
    return this.advanceTo(this.current + ms);
  }

  /** Moves time to `t` (epoch ms or Date), firing everything due on the way. */
  async advanceTo(t: number | Date): Promise<void> {
    const target = typeof t === "number" ? t : t.getTime();
    if (target < this.current) throw new RangeError(`advanceTo(${target}) is in the past`);
    await this.settle();
    for (;;) {
      const next = this.takeNext(target);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      await next.fn();
      await this.settle();
    }
    this.current = target;
  }

  /**
   * Fires the earliest pending callback, moving time to it (never back), and settles; false when
   * nothing is pending. Runs an execution to its end one event at a time (`runToCompletion`).
   */
  async runNext(): Promise<boolean> {
    await this.settle();
    const next = this.takeNext(Number.POSITIVE_INFINITY);
    if (!next) return false;
    this.current = Math.max(this.current, next.at);
    await next.fn();
    await this.settle();
    return true;
  }

  /** Fires whatever is due now (e.g. timers scheduled in the past) without moving time. */
  runDue(): Promise<void> {
    return this.advanceTo(this.current);
  }

  /** When the earliest pending callback is due (epoch ms), or undefined when none is. */
  nextAt(): number | undefined {
    let at: number | undefined;
    for (const p of this.pending) if (!p.cancelled && (at === undefined || p.at < at)) at = p.at;
    return at;
  }

  /** Number of callbacks still waiting. */
  get pendingCount(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }

  private takeNext(limit: number): Pending | undefined {
    this.pending = this.pending.filter((p) => !p.cancelled);
    let best: Pending | undefined;
    for (const p of this.pending) {
      if (p.at > limit) continue;
      if (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p;
    }
    if (best) this.pending.splice(this.pending.indexOf(best), 1);
    return best;
  }

  private async settle(): Promise<void> {
    // Let promise chains started by the last callback reach the runtime's bookkeeping.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (const s of [...this.settlers]) await s();
  }
}
