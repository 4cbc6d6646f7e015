/**
 * Crash test: a child process runs 200 executions in every kind of state (Wait timer, waiting on a
 * token, inside a Map, in Retry backoff, mid-Lambda) and is SIGKILLed; a new process resumes them.
 * All must finish with the outputs of an uninterrupted run, with the same history (no duplicated
 * event, every timer fired exactly once), and waiting tasks must not be invoked again.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { straightAndResumed } from "../support/crash-harness.ts";

const worker = fileURLToPath(new URL("./crash-worker.ts", import.meta.url));

interface Outcome {
  results: Record<
    string,
    { status: string; output: string | null; error: string | null; types: string[]; ids: number[] }
  >;
  tokenLines: number;
}

let straight: Outcome;
let resumed: Outcome;

beforeAll(async () => {
  ({ straight, resumed } = await straightAndResumed<Outcome>(worker));
}, 120_000);

it("every execution finishes with the output of an uninterrupted run", () => {
  expect(Object.keys(resumed.results)).toHaveLength(200);
  for (const [name, r] of Object.entries(straight.results)) {
    expect(resumed.results[name]?.status, name).toBe("SUCCEEDED");
    expect(resumed.results[name]?.output, name).toBe(r.output);
  }
});

it("history has no duplicated event and every timer fired exactly once", () => {
  for (const [name, r] of Object.entries(straight.results)) {
    const got = resumed.results[name];
    expect(got?.types, name).toEqual(r.types);
    expect(got?.ids, name).toEqual(r.ids);
  }
});

it("tasks waiting on a token are not invoked again after the restart", () => {
  expect(resumed.tokenLines).toBe(40);
});
