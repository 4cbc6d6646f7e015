/**
 * How TestState reports the end of the state under test, per AWS's TestState status values:
 * SUCCEEDED (with `nextState` when the state has one), or for an error the first Retry that
 * matches it — RETRIABLE while `stateConfiguration.retrierRetryCount` is below its MaxAttempts
 * (with the back-off the next attempt would wait) — else the first Catch that matches it
 * (CAUGHT_ERROR, with the catcher's output and `Next`), else FAILED. `errorDetails` names the
 * retrier and catcher that applied, as recorded on AWS.
 */
import { errorMatches, errorOutputOf } from "../engine.ts";
import { StatesError } from "../errors.ts";
import { applyResultPath, checkPayload } from "../io.ts";
import type { CompiledRetrier } from "../model.ts";
import { nextRandom } from "../prng.ts";
import type { Json } from "../types.ts";
import { assignVars, type Run, type StepOutcome, scopeOf } from "./run.ts";
import type { InspectionErrorDetails, TestStateResult } from "./types.ts";

export async function settle(run: Run, outcome: StepOutcome): Promise<TestStateResult> {
  if (outcome.kind === "ok") {
    const r: TestStateResult = { status: "SUCCEEDED", output: outcome.output };
    if (outcome.next !== undefined) r.nextState = outcome.next;
    return r;
  }
  const { error, cause } = outcome;
  const failed = (e = error, c = cause): TestStateResult => withError({ status: "FAILED" }, e, c);
  if (!outcome.catchable) return failed();
  const st = run.state;
  const isTask = st.type === "Task";
  const details: InspectionErrorDetails = {};
  const report = (r: TestStateResult) => {
    if (Object.keys(details).length > 0) run.inspection.errorDetails = details;
    return r;
  };
  for (let i = 0; i < st.retry.length; i++) {
    const retrier = st.retry[i] as CompiledRetrier;
    if (!errorMatches(retrier.errorEquals, error, isTask)) continue;
    details.retryIndex = i;
    const count = run.config.retrierRetryCount ?? 0;
    if (count < retrier.maxAttempts) {
      details.retryBackoffIntervalSeconds = backoffSeconds(retrier, count, run);
      return report(withError({ status: "RETRIABLE" }, error, cause));
    }
    // The first matching retrier decides; once it is spent, the error goes on to Catch.
    break;
  }
  for (let j = 0; j < st.catch.length; j++) {
    const catcher = st.catch[j] as (typeof st.catch)[number];
    if (!errorMatches(catcher.errorEquals, error, isTask)) continue;
    details.catchIndex = j;
    const errorOutput = errorOutputOf(error, cause);
    try {
      let output: Json;
      if (st.ql === "JSONata") {
        const scope = scopeOf(run, run.input, { errorOutput });
        const assigned = catcher.assign ? await catcher.assign.template.evaluate(scope) : undefined;
        output = catcher.output ? await catcher.output.evaluate(scope) : errorOutput;
        assignVars(run, assigned);
      } else {
        const assigned = catcher.assign
          ? await catcher.assign.template.evaluate(scopeOf(run, errorOutput))
          : undefined;
        output = applyResultPath(run.input, catcher.resultPath, errorOutput);
        assignVars(run, assigned);
      }
      checkPayload(output, st.name);
      const r = withError(
        { status: "CAUGHT_ERROR", output, nextState: catcher.next },
        error,
        cause,
      );
      return report(r);
    } catch (e) {
      if (e instanceof StatesError) return report(failed(e.error, e.causeText));
      throw e;
    }
  }
  return report(failed());
}

function withError(r: TestStateResult, error?: string, cause?: string): TestStateResult {
  if (error !== undefined) r.error = error;
  if (cause !== undefined) r.cause = cause;
  return r;
}

/**
 * The wait before retry attempt `count + 1`, in whole seconds: IntervalSeconds × BackoffRate^count,
 * capped by MaxDelaySeconds, drawn at random below that with JitterStrategy FULL ("Retrying after
 * an error" in the developer guide). Recorded on AWS: interval 1, rate 2, count 4 → 16.
 */
function backoffSeconds(r: CompiledRetrier, count: number, run: Run): number {
  let seconds = r.intervalSeconds * r.backoffRate ** count;
  if (r.maxDelaySeconds !== undefined) seconds = Math.min(seconds, r.maxDelaySeconds);
  if (r.jitter === "FULL") seconds = nextRandom(run.rng) * seconds;
  return Math.round(seconds);
}
