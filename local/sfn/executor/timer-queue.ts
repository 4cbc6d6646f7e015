/**
 * The durable timers (Wait states, TimeoutSeconds, heartbeats, Retry back-off) armed on the clock.
 * They are rows in the store; only a window of the earliest ones is held in memory (a min-heap, one
 * clock callback for the earliest), so millions of waiting executions with a timeout cost disk,
 * not memory. When the window runs dry, the next one is read from the store's index in firing
 * order; a new timer joins the window only if it falls inside it, and a window that grows past
 * twice its size keeps its earliest half and leaves the rest to the store.
 */
import type { Cancel, Clock } from "../clock.ts";
import type { TimerCursor, TimerStore } from "../store/index.ts";

interface Entry {
  arn: string;
  exec_id: number;
  timer_id: string;
  fire_at: number;
  /** Arming order: equal times fire in the order they were armed (or read from the store). */
  seq: number;
  cancelled: boolean;
}

/** Fires a timer: resolves once its step is done (or was not applied). */
export type FireTimer = (arn: string, timerId: string) => Promise<unknown>;

export class TimerQueue {
  private heap: Entry[] = [];
  private readonly byExecution = new Map<string, Map<string, Entry>>();
  /**
   * The store's timers up to this key (inclusive) are in the window; `undefined`: all of them;
   * `null`: none yet (the first window is read from the start).
   */
  private cursor: TimerCursor | null | undefined;
  private seq = 0;
  private cancelled = 0;
  private alarm: { at: number; cancel: Cancel } | undefined;
  private stopped = false;

  constructor(
    private readonly store: TimerStore,
    private readonly clock: Clock,
    private readonly fire: FireTimer,
    private readonly window = 1024,
  ) {}

  /** Reads the first window from the store (after a restart: timers re-armed at their times). */
  start(): void {
    this.cursor = null;
    this.refill();
  }

  /** A committed timer command (a re-armed id replaces the earlier time). */
  armed(arn: string, execId: number, timerId: string, fireAt: number): void {
    this.removed(arn, timerId);
    if (this.stopped) return;
    const key = { fire_at: fireAt, exec_id: execId, timer_id: timerId };
    // Past the window: the store has it, and a later window will read it.
    if (this.cursor !== undefined && (this.cursor === null || compareKeys(key, this.cursor) > 0))
      return;
    this.push({ arn, ...key, seq: this.seq++, cancelled: false });
    if (this.heap.length - this.cancelled > 2 * this.window) this.shrink();
    this.schedule();
  }

  /** A timer fired or was cancelled. */
  removed(arn: string, timerId: string): void {
    const timers = this.byExecution.get(arn);
    const entry = timers?.get(timerId);
    if (!entry || !timers) return;
    timers.delete(timerId);
    if (timers.size === 0) this.byExecution.delete(arn);
    entry.cancelled = true;
    this.cancelled++;
    if (this.cancelled > 64 && this.cancelled * 2 > this.heap.length) this.compact();
  }

  /** Every timer of an execution that ended. */
  removedAll(arn: string): void {
    const timers = this.byExecution.get(arn);
    if (!timers) return;
    for (const id of [...timers.keys()]) this.removed(arn, id);
  }

  /** Timers held in memory (the window), for tests and diagnostics. */
  get size(): number {
    return this.heap.length - this.cancelled;
  }

  stop(): void {
    this.stopped = true;
    this.alarm?.cancel();
    this.alarm = undefined;
    this.heap = [];
    this.byExecution.clear();
    this.cancelled = 0;
  }

  /** Arms the clock for the earliest timer held (one callback, whatever the window's size). */
  private schedule(): void {
    const next = this.peek();
    if (!next || this.stopped) {
      this.alarm?.cancel();
      this.alarm = undefined;
      return;
    }
    if (this.alarm && this.alarm.at <= next.fire_at) return;
    this.alarm?.cancel();
    const at = next.fire_at;
    this.alarm = { at, cancel: this.clock.schedule(at, () => this.ring(at)) };
  }

  /** Fires every timer due now (each step waits for its execution's lock, so order holds). */
  private ring(at: number): Promise<unknown> {
    if (this.alarm?.at === at) this.alarm = undefined;
    const now = this.clock.now();
    const fired: Promise<unknown>[] = [];
    for (;;) {
      const next = this.peek();
      if (!next || next.fire_at > now) break;
      this.pop();
      this.forget(next);
      fired.push(this.fire(next.arn, next.timer_id));
    }
    if (!this.peek() && this.cursor !== undefined) this.refill();
    this.schedule();
    return Promise.all(fired);
  }

  /** Reads the next window after the cursor; the cursor is cleared once the store is exhausted. */
  private refill(): void {
    const cursor = this.cursor;
    if (cursor === undefined || this.stopped) return;
    const rows = this.store.after(cursor ?? undefined, this.window);
    const last = rows[rows.length - 1];
    this.cursor =
      rows.length < this.window || !last
        ? undefined
        : { fire_at: last.fire_at, exec_id: last.exec_id, timer_id: last.timer_id };
    for (const row of rows) {
      if (this.byExecution.get(row.arn)?.has(row.timer_id)) continue;
      this.push({ ...row, seq: this.seq++, cancelled: false });
    }
    this.schedule();
  }

  /** Keeps the earliest `window` timers in memory; the later ones stay in the store only. */
  private shrink(): void {
    const live = this.heap.filter((e) => !e.cancelled).sort(compareKeys);
    const keep = live.slice(0, this.window);
    for (const e of live.slice(this.window)) this.forget(e);
    const last = keep[keep.length - 1] as Entry;
    this.cursor = { fire_at: last.fire_at, exec_id: last.exec_id, timer_id: last.timer_id };
    this.rebuild(keep);
  }

  /** Drops an entry that left the heap from the lookup by execution. */
  private forget(entry: Entry): void {
    const timers = this.byExecution.get(entry.arn);
    if (timers?.get(entry.timer_id) !== entry) return;
    timers.delete(entry.timer_id);
    if (timers.size === 0) this.byExecution.delete(entry.arn);
  }

  private compact(): void {
    this.rebuild(this.heap.filter((e) => !e.cancelled));
  }

  private rebuild(entries: Entry[]): void {
    this.heap = [];
    this.cancelled = 0;
    for (const e of entries) this.siftUp(this.heap.push(e) - 1);
  }

  private push(entry: Entry): void {
    let timers = this.byExecution.get(entry.arn);
    if (!timers) {
      timers = new Map();
      this.byExecution.set(entry.arn, timers);
    }
    timers.set(entry.timer_id, entry);
    this.siftUp(this.heap.push(entry) - 1);
  }

  /** The earliest live entry, dropping cancelled ones from the top. */
  private peek(): Entry | undefined {
    while (this.heap.length > 0 && (this.heap[0] as Entry).cancelled) {
      this.pop();
      this.cancelled--;
    }
    return this.heap[0];
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const entry = heap[i] as Entry;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (earlier(heap[parent] as Entry, entry)) break;
      heap[i] = heap[parent] as Entry;
      i = parent;
    }
    heap[i] = entry;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const entry = heap[i] as Entry;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && earlier(heap[child + 1] as Entry, heap[child] as Entry))
        child++;
      if (earlier(entry, heap[child] as Entry)) break;
      heap[i] = heap[child] as Entry;
      i = child;
    }
    heap[i] = entry;
  }
}

/** Heap order: time, then arming order. */
function earlier(a: Entry, b: Entry): boolean {
  return a.fire_at < b.fire_at || (a.fire_at === b.fire_at && a.seq < b.seq);
}

/** The store's order: time, execution, timer id. */
function compareKeys(a: TimerCursor, b: TimerCursor): number {
  return (
    a.fire_at - b.fire_at ||
    a.exec_id - b.exec_id ||
    (a.timer_id < b.timer_id ? -1 : a.timer_id > b.timer_id ? 1 : 0)
  );
}
