/**
 * Fault schedules for `countersign asl fuzz`: which Task state, from which of its invocations in
 * the execution and for how many in a row, gets which fault. A schedule is plain JSON, so a
 * failing one is printed, shrunk, and replayed exactly (`--replay`). Schedules are drawn from a
 * seeded generator (run i of seed s is always the same schedule), never from `Math.random`.
 */

/**
 * - `error`: the invocation fails before the task runs (Lambda's `Lambda.ServiceException`, or
 *   `States.TaskFailed` for other services): its effect does not happen;
 * - `timeout`: the task runs (its effect happens) and its answer comes too late: `States.Timeout`;
 * - `duplicate`: the task is delivered twice in a row (the second answer counts);
 * - `crash`: the runtime dies while the task runs, after its effect, and a new one resumes the
 *   execution from its log (the task is invoked again);
 * - `crashBefore`: the runtime dies before the task runs, and resumes.
 */
export type FaultKind = "error" | "timeout" | "duplicate" | "crash" | "crashBefore";

export const FAULT_KINDS: readonly FaultKind[] = [
  "error",
  "timeout",
  "duplicate",
  "crash",
  "crashBefore",
];

export interface Fault {
  state: string;
  kind: FaultKind;
  /** The first invocation of `state` it hits (0-based, counted over the execution). */
  from: number;
  /** How many invocations in a row. */
  times: number;
}

/** A Task state and how many retries its Retry rules allow at most (for exhausting them). */
export interface TaskInfo {
  name: string;
  resource: string;
  maxRetries: number;
}

/** mulberry32: a small seeded generator, enough to draw schedules reproducibly. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of run `index` of a fuzz session seeded `seed`. */
export function runSeed(seed: number, index: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) + index * 0x85ebca6b) >>> 0;
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

/**
 * Up to three faults at the definition's Task states: mostly single invocations (absorbed by
 * retries, or not), sometimes one more than the state's retries allow, so Catch and the
 * compensation path run after an effect the execution may never have heard of.
 */
export function drawSchedule(
  random: () => number,
  tasks: readonly TaskInfo[],
  cap: Readonly<Record<string, number>> = {},
): Fault[] {
  if (tasks.length === 0) return [];
  const faults: Fault[] = [];
  const count = pick(random, [0, 1, 1, 2, 2, 3]);
  for (let i = 0; i < count; i++) {
    const task = pick(random, tasks);
    const kind = pick(random, FAULT_KINDS);
    const exhaust = kind === "error" || kind === "timeout";
    const drawn = exhaust ? pick(random, [1, 1, 2, task.maxRetries + 1]) : 1;
    const times = Math.max(1, Math.min(drawn, cap[task.name] ?? drawn));
    faults.push({ state: task.name, kind, from: pick(random, [0, 0, 0, 1]), times });
  }
  return faults;
}

/**
 * Shrinks a failing schedule: drops faults one at a time while it still fails, then lowers each
 * remaining fault's `times` and `from`. `fails` runs the candidate (a fresh execution). Returns the
 * smallest schedule found that still fails, and how many candidates were run.
 */
export async function shrink(
  schedule: Fault[],
  fails: (candidate: Fault[]) => Promise<boolean>,
): Promise<{ schedule: Fault[]; tries: number }> {
  let best = schedule;
  let tries = 0;
  const attempt = async (candidate: Fault[]) => {
    tries++;
    if (await fails(candidate)) {
      best = candidate;
      return true;
    }
    return false;
  };
  for (let i = best.length - 1; i >= 0; i--) {
    await attempt(best.filter((_, j) => j !== i));
  }
  for (let i = 0; i < best.length; i++) {
    const f = best[i] as Fault;
    for (const smaller of [
      { ...f, times: 1 },
      { ...f, from: 0 },
    ]) {
      const cur = best[i] as Fault;
      if (smaller.times === cur.times && smaller.from === cur.from) continue;
      await attempt(best.map((g, j) => (j === i ? { ...cur, ...diff(smaller, f) } : g)));
    }
  }
  return { schedule: best, tries };
}

function diff(changed: Fault, original: Fault): Partial<Fault> {
  return changed.times !== original.times ? { times: changed.times } : { from: changed.from };
}

/** Checks a schedule given on the command line (`--replay`), naming what is wrong. */
export function parseSchedule(text: string, states: readonly string[]): Fault[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new TypeError(
      `--replay must be the JSON schedule fuzz printed: ${(cause as Error).message}`,
    );
  }
  if (!Array.isArray(value)) throw new TypeError("--replay must be a JSON array of faults");
  return value.map((f: Partial<Fault>, i) => {
    if (!f || typeof f.state !== "string" || !states.includes(f.state)) {
      throw new TypeError(
        `--replay fault ${i}: state must be one of the definition's Task states (${states.join(", ")})`,
      );
    }
    if (!FAULT_KINDS.includes(f.kind as FaultKind)) {
      throw new TypeError(`--replay fault ${i}: kind must be one of ${FAULT_KINDS.join(", ")}`);
    }
    const from = f.from ?? 0;
    const times = f.times ?? 1;
    if (!Number.isInteger(from) || from < 0 || !Number.isInteger(times) || times < 1) {
      throw new TypeError(`--replay fault ${i}: from must be an integer ≥ 0 and times ≥ 1`);
    }
    return { state: f.state, kind: f.kind as FaultKind, from, times };
  });
}
