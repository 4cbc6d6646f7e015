/**
 * The AWS-recorded task corpus (`conformance/aws-recorded-tasks`): Lambda tasks, task tokens,
 * timeouts and heartbeats, nested executions, DynamoDB and API errors, each run through the real
 * wire API with `@aws-sdk/client-sfn` (`test/conformance/tasks/`). Cases that need SQS or SNS are
 * counted as skipped with that reason; known differences are listed with their reasons in
 * `test/conformance/known-failures.ts`, and a listed case that starts matching fails the test.
 */
import { afterAll, describe, expect, it } from "vitest";
import { CORPORA } from "../conformance/corpora.ts";
import { knownTaskFailures, knownTaskHistoryMismatches } from "../conformance/known-failures.ts";
import {
  type ApiCase,
  type ExecutionCase,
  loadTaskCases,
  skipReason,
} from "../conformance/tasks/cases.ts";
import { runApiCase } from "../conformance/tasks/run-api.ts";
import { type ExecutionVerdict, runExecutionCase } from "../conformance/tasks/run-execution.ts";

const cases = loadTaskCases(CORPORA.tasks);
const skipped = cases.filter((c) => skipReason(c) !== undefined);
const executions = cases.filter(
  (c): c is ExecutionCase => c.kind === "execution" && skipReason(c) === undefined,
);
const apis = cases.filter((c): c is ApiCase => c.kind === "api");
const verdicts = new Map<string, ExecutionVerdict>();
const apiVerdicts = new Map<string, boolean>();

function expectKnown(name: string, pass: boolean, diff: string | undefined) {
  if (name in knownTaskFailures) {
    expect(pass, `${name} now passes: remove it from knownTaskFailures`).toBe(false);
  } else {
    expect(diff ?? "", `${name} fails`).toBe("");
  }
}

describe("AWS-recorded task corpus", () => {
  it.each(executions.map((c) => [c.name, c] as const))("%s", async (name, c) => {
    const v = await runExecutionCase(c);
    verdicts.set(name, v);
    expectKnown(name, v.pass, v.diff);
    if (v.historyMatch !== undefined) {
      if (name in knownTaskHistoryMismatches) {
        expect(v.historyMatch, `${name} history now matches: remove it`).toBe(false);
      } else {
        expect(v.historyDiff ?? "", `${name} history differs`).toBe("");
      }
    }
  });

  it.each(apis.map((c) => [c.name, c] as const))("%s", async (name, c) => {
    const v = await runApiCase(c);
    apiVerdicts.set(name, v.pass);
    expectKnown(name, v.pass, v.diff);
  });

  it("lists only cases that exist and run", () => {
    const runnable = new Set([...executions, ...apis].map((c) => c.name));
    for (const name of [
      ...Object.keys(knownTaskFailures),
      ...Object.keys(knownTaskHistoryMismatches),
    ]) {
      expect(runnable.has(name), `${name} is listed but not a runnable case`).toBe(true);
    }
  });

  afterAll(() => {
    if (verdicts.size < executions.length || apiVerdicts.size < apis.length) return;
    const pct = (a: number, b: number) => `${a}/${b} (${((100 * a) / b).toFixed(1)} %)`;
    const line = (fidelity: string) => {
      const vs = executions.filter((c) => c.fidelity === fidelity).map((c) => verdicts.get(c.name));
      return pct(vs.filter((v) => v?.pass).length, vs.length);
    };
    const withHistory = [...verdicts.values()].filter((v) => v.historyMatch !== undefined);
    const apiPassed = [...apiVerdicts.values()].filter(Boolean).length;
    const reasons = [...new Set(skipped.map((c) => skipReason(c)))].join("; ");
    console.log(
      [
        `task corpus, recorded execution cases: ${line("recorded")} pass; ${skipped.length} skipped (${reasons})`,
        `task corpus, adapted execution cases: ${line("adapted")} pass`,
        `task corpus, history event order: ${pct(withHistory.filter((v) => v.historyMatch).length, withHistory.length)} match`,
        `task corpus, API cases: ${pct(apiPassed, apis.length)} pass`,
      ].join("\n"),
    );
  });
});
