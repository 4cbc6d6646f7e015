/**
 * Redrive crash test: a child process redrives 30 failed executions (a Task, one item of a Map, a
 * Task before a Wait) and is SIGKILLed while the redriven tasks are mid-invocation or waiting on
 * their timers; a new process resumes them. Each must finish once: SUCCEEDED with the output and
 * history of an uninterrupted run (one ExecutionRedriven, no duplicated event), and each task
 * that was mid-invocation at the kill invoked exactly once more — nothing else again.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { straightAndResumed } from "../support/crash-harness.ts";

const worker = fileURLToPath(new URL("./redrive-crash-worker.ts", import.meta.url));

interface Outcome {
  results: Record<
    string,
    { status: string; output: string | null; redriveCount: number; types: string[]; ids: number[] }
  >;
  invoked: Record<string, number>;
  hung: string[];
}

let straight: Outcome;
let resumed: Outcome;

beforeAll(async () => {
  ({ straight, resumed } = await straightAndResumed<Outcome>(worker));
}, 120_000);

it("every redriven execution finishes after the restart with an uninterrupted run's output", () => {
  expect(Object.keys(resumed.results)).toHaveLength(30);
  for (const [name, r] of Object.entries(straight.results)) {
    expect(r.status, name).toBe("SUCCEEDED");
    expect(resumed.results[name]?.status, name).toBe("SUCCEEDED");
    expect(resumed.results[name]?.redriveCount, name).toBe(1);
    expect(resumed.results[name]?.output, name).toBe(r.output);
  }
});

it("finishes once: the same history, one ExecutionRedriven, no duplicated event", () => {
  for (const [name, r] of Object.entries(straight.results)) {
    const got = resumed.results[name];
    expect(got?.types, name).toEqual(r.types);
    expect(got?.ids, name).toEqual(r.ids);
    expect(
      got?.types.filter((t) => t === "ExecutionRedriven"),
      name,
    ).toHaveLength(1);
    expect(
      got?.types.filter((t) => t === "ExecutionSucceeded"),
      name,
    ).toHaveLength(1);
  }
});

it("invokes each task that was mid-invocation at the kill exactly once more, and nothing else", () => {
  expect(resumed.hung.length).toBeGreaterThanOrEqual(20);
  const expected = Object.fromEntries(resumed.hung.map((key) => [key, 1]));
  expect(resumed.invoked).toEqual(expected);
});
