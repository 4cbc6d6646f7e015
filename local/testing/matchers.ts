/**
 * Assertions on a finished or waiting test run, in the shape `expect.extend` takes (Vitest and
 * Jest alike): `expect(run).toHavePassedThrough("ChargePayment")`, `.toHaveSucceeded()`,
 * `.toHaveFailedWith("States.Timeout")`. Each failure message shows the path the run took, which
 * is what one needs to see when a saga went the wrong way. `./vitest.ts` registers them.
 */
import type { TestRun } from "./test-run.ts";

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function asRun(received: unknown, matcher: string): TestRun {
  const run = received as TestRun;
  if (!run || typeof run.path !== "function" || typeof run.description !== "function") {
    throw new TypeError(`${matcher} takes a run from env.start(...), got ${typeof received}`);
  }
  return run;
}

const shown = (path: string[]) => (path.length ? path.join(" → ") : "(no state entered)");

export const matchers = {
  /** The run entered `state` (at least once; `times` exactly that many times). */
  toHavePassedThrough(received: unknown, state: string, times?: number): MatcherResult {
    const path = asRun(received, "toHavePassedThrough").path();
    const count = path.filter((s) => s === state).length;
    const pass = times === undefined ? count > 0 : count === times;
    const want = times === undefined ? "" : ` ${times} time(s)`;
    return {
      pass,
      message: () =>
        pass
          ? `expected the run not to pass through ${state}${want}; its path: ${shown(path)}`
          : `expected the run to pass through ${state}${want} (it did ${count} time(s)); its path: ${shown(path)}`,
    };
  },
  /** The execution ended SUCCEEDED (and, when given, its output deep-contains `output`). */
  toHaveSucceeded(received: unknown): MatcherResult {
    const run = asRun(received, "toHaveSucceeded");
    const d = run.description();
    const pass = d.status === "SUCCEEDED";
    return {
      pass,
      message: () =>
        pass
          ? `expected the run not to succeed; its path: ${shown(run.path())}`
          : `expected the run to succeed, but it is ${d.status}${d.error ? ` with ${d.error}: ${d.cause ?? ""}` : ""}; its path: ${shown(run.path())}`,
    };
  },
  /** The execution ended FAILED with this error name. */
  toHaveFailedWith(received: unknown, error: string): MatcherResult {
    const run = asRun(received, "toHaveFailedWith");
    const d = run.description();
    const pass = d.status === "FAILED" && d.error === error;
    return {
      pass,
      message: () =>
        pass
          ? `expected the run not to fail with ${error}`
          : `expected the run to fail with ${error}, but it is ${d.status}${d.error ? ` with ${d.error}` : ""}; its path: ${shown(run.path())}`,
    };
  },
};

/** The matchers' types, for `declare module "vitest"` (see ./vitest.ts). */
export interface CountersignMatchers<R = unknown> {
  toHavePassedThrough(state: string, times?: number): R;
  toHaveSucceeded(): R;
  toHaveFailedWith(error: string): R;
}
