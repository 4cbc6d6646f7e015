import { describe, expect, it } from "vitest";
import { VirtualClock } from "../clock.ts";
import { MemoryStore } from "../store/memory/memory-store.ts";
import type { ExecutionRow } from "../store/rows.ts";
import { TimerQueue } from "./timer-queue.ts";

const T0 = Date.UTC(2025, 0, 1);

/** A store with executions `a` and `b`, a clock, and a queue that records what fired. */
function setup(window: number) {
  const store = new MemoryStore();
  const rows: Record<string, ExecutionRow> = {};
  for (const name of ["a", "b"]) {
    const row: ExecutionRow = {
      id: 0,
      arn: name,
      name,
      machine_arn: "m",
      machine_type: "STANDARD",
      definition: "{}",
      role_arn: "r",
      input: "{}",
      status: "RUNNING",
      output: null,
      error: null,
      cause: null,
      start_ms: T0,
      stop_ms: null,
      seed: "s",
      version_arn: null,
      invoking: 0,
    };
    store.executions.insert(row, []);
    rows[name] = row;
  }
  const clock = new VirtualClock(T0);
  const fired: string[] = [];
  const queue = new TimerQueue(
    store.timers,
    clock,
    async (arn, id) => {
      fired.push(`${arn}/${id}@${clock.now() - T0}`);
      // As the executor does when the step commits: the row goes with the timer.
      store.timers.remove((rows[arn] as ExecutionRow).id, id);
    },
    window,
  );
  /** A timer stored and reported committed, as a step arming it does. */
  const arm = (arn: string, id: string, at: number) => {
    const execId = (rows[arn] as ExecutionRow).id;
    store.timers.arm(execId, id, T0 + at);
    queue.armed(arn, execId, id, T0 + at);
  };
  return { store, rows, clock, fired, queue, arm };
}

describe("TimerQueue", () => {
  it("re-arms stored timers a window at a time and fires them in order", async () => {
    const { store, rows, clock, fired, queue } = setup(3);
    for (let i = 9; i >= 0; i--)
      store.timers.arm((rows.a as ExecutionRow).id, `t${i}`, T0 + i * 10);

    queue.start();

    expect(queue.size).toBe(3);
    await clock.advance(1000);
    expect(fired).toEqual(Array.from({ length: 10 }, (_, i) => `a/t${i}@${i * 10}`));
    expect(queue.size).toBe(0);
  });

  it("leaves a new timer past the window to the store, and still fires it in its turn", async () => {
    const { store, rows, clock, fired, queue, arm } = setup(2);
    for (const at of [10, 20, 30, 40])
      store.timers.arm((rows.a as ExecutionRow).id, `t${at}`, T0 + at);
    queue.start();

    arm("b", "late", 35);
    arm("b", "early", 5);

    expect(queue.size).toBe(3);
    await clock.advance(100);
    expect(fired).toEqual([
      "b/early@5",
      "a/t10@10",
      "a/t20@20",
      "a/t30@30",
      "b/late@35",
      "a/t40@40",
    ]);
  });

  it("keeps at most twice its window in memory however many are armed", async () => {
    const { clock, fired, queue, arm } = setup(4);
    queue.start();

    for (let i = 0; i < 50; i++) arm(i % 2 ? "a" : "b", `t${i}`, 1000 - i);

    expect(queue.size).toBeLessThanOrEqual(8);
    await clock.advance(2000);
    expect(fired).toHaveLength(50);
    expect(fired[0]).toBe("a/t49@951");
    expect(fired[49]).toBe("b/t0@1000");
  });

  it("does not fire a removed timer; a re-armed id fires once, at its new time", async () => {
    const { clock, fired, queue, arm } = setup(10);
    queue.start();
    arm("a", "gone", 10);
    arm("a", "moved", 10);
    arm("b", "all-1", 20);
    arm("b", "all-2", 30);

    queue.removed("a", "gone");
    arm("a", "moved", 40);
    queue.removedAll("b");
    await clock.advance(100);

    expect(fired).toEqual(["a/moved@40"]);
  });
});
