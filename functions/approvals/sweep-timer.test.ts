/**
 * The sweep timer on virtual time: a due action is swept at its time (not at the next minute's
 * sweep), a request made during a sleep is seen within a poll, and an action that stays due after
 * a failed step is retried at the retry interval rather than at every poll.
 */
import { describe, expect, it } from "vitest";
import { runSweepTimer, type SweepTimerDeps } from "./sweep-timer.ts";

/** An index of due times (epoch ms) that a sweep empties of what is due; `failing` stay due. */
function world(dueTimes: number[], failing: number[] = []) {
  let now = 0;
  const due = [...dueTimes];
  const swept: number[] = [];
  const sweepsAt: number[] = [];
  const deps: SweepTimerDeps = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    nextDue: async () => (due.length ? Math.min(...due) : undefined),
    sweep: async () => {
      sweepsAt.push(now);
      for (const t of [...due]) {
        if (t <= now && !failing.includes(t)) {
          due.splice(due.indexOf(t), 1);
          swept.push(now);
        }
      }
    },
  };
  return { deps, swept, sweepsAt, add: (t: number) => due.push(t), at: () => now };
}

describe("runSweepTimer", () => {
  it("sweeps each action at its due time, to the millisecond, not at the next full sweep", async () => {
    const w = world([30_500, 42_250]);
    await runSweepTimer(w.deps, { until: 59_000 });
    expect(w.swept).toEqual([30_500, 42_250]);
  });

  it("sees a request made during a sleep within one poll", async () => {
    const w = world([]);
    const sleep = w.deps.sleep;
    let added = false;
    w.deps.sleep = async (ms, signal) => {
      await sleep(ms, signal);
      if (!added && w.at() >= 10_000) {
        added = true;
        w.add(10_200); // made at ~10 s, due 200 ms later
      }
    };
    await runSweepTimer(w.deps, { until: 20_000, pollMs: 1_000 });
    expect(w.swept).toHaveLength(1);
    expect(w.swept[0]).toBeGreaterThanOrEqual(10_200);
    expect(w.swept[0]).toBeLessThanOrEqual(11_200);
  });

  it("retries an action that stays due (a failed step) every retryMs, not every poll", async () => {
    const w = world([1_000], [1_000]);
    await runSweepTimer(w.deps, { until: 40_000, pollMs: 1_000, retryMs: 15_000 });
    // The first (full) sweep at 0, then 1 000 when due, then a retry every 15 s.
    expect(w.sweepsAt).toEqual([0, 1_000, 16_000, 31_000]);
  });

  it("a scheduled run returns as soon as nothing more is due within its minute", async () => {
    const idle = world([]);
    expect(await runSweepTimer(idle.deps, { until: 60_000, stopWhenIdle: true })).toBe(1);
    expect(idle.at()).toBe(0);
    const busy = world([20_000, 90_000]);
    await runSweepTimer(busy.deps, { until: 60_000, stopWhenIdle: true });
    expect(busy.swept).toEqual([20_000]);
    expect(busy.at()).toBe(20_000); // 90 s is the next run's
  });

  it("stops at once when its signal aborts", async () => {
    const w = world([5_000]);
    const stop = new AbortController();
    stop.abort();
    expect(
      await runSweepTimer(w.deps, { until: Number.POSITIVE_INFINITY, signal: stop.signal }),
    ).toBe(0);
  });
});
