/**
 * Lint never throws: on every definition of the four AWS-recorded corpora (valid or deliberately
 * broken) and on junk, it returns diagnostics — findings are expected, exceptions are not.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPORA } from "../../../test/conformance/corpora.ts";
import { awsWarnings, lintReport } from "./index.ts";

function definitions(dir: string): [string, unknown][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !f.startsWith("_"))
    .map((f) => [
      f,
      (JSON.parse(readFileSync(join(dir, f), "utf8")) as { definition?: unknown }).definition,
    ]);
}

describe("lint on the AWS-recorded corpora", () => {
  it("runs on all 561 pure-state cases without an exception", () => {
    const cases = definitions(CORPORA.pure);
    expect(cases.length).toBe(561);
    for (const [file, definition] of cases) {
      expect(() => lintReport(definition), file).not.toThrow();
      expect(() => lintReport(JSON.stringify(definition)), file).not.toThrow();
    }
  });

  it.each(["tasks", "teststate", "s3map"] as const)("runs on every %s case", (corpus) => {
    for (const [file, definition] of definitions(CORPORA[corpus])) {
      expect(Array.isArray(lintReport(definition).diagnostics), file).toBe(true);
    }
  });

  it("returns diagnostics, never throws, on junk", () => {
    const junk: unknown[] = [
      undefined,
      null,
      42,
      "not json",
      "[]",
      [],
      {},
      { States: null },
      { StartAt: "A", States: { A: null } },
      { StartAt: "A", States: { A: { Type: "Task", Catch: "x", Next: 3 } } },
      {
        StartAt: "A",
        States: { A: { Type: "Task", Catch: [null, { Next: "B", ErrorEquals: 1 }] } },
      },
      { StartAt: "A", States: { A: { Type: "Choice", Choices: [null, { Not: 1, And: "x" }] } } },
      { StartAt: "A", States: { A: { Type: "Map", ItemProcessor: { States: [] }, Iterator: 1 } } },
      { StartAt: "A", States: { A: { Type: "Parallel", Branches: [null, { StartAt: 1 }] } } },
      {
        StartAt: "A",
        States: { A: { Type: "Pass", Result: { "x.$": [{ "y.$": 1 }] }, Next: "A" } },
      },
      { StartAt: "A", States: { A: { Type: "Task", Resource: 7, Comment: "lint:compensates=" } } },
    ];
    for (const j of junk) {
      expect(() => lintReport(j), JSON.stringify(j)).not.toThrow();
      expect(() => awsWarnings(j), JSON.stringify(j)).not.toThrow();
    }
  });

  it("stops at its bound on a definition with too many paths, and says so", () => {
    // 16 optional reservations in a row: 2^16 sets of steps that may be done.
    const States: Record<string, unknown> = {};
    const task = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke" };
    for (let i = 0; i < 16; i++) {
      States[`C${i}`] = {
        Type: "Choice",
        Choices: [{ Variable: "$.x", BooleanEquals: true, Next: `Reserve${i}` }],
        Default: `C${i + 1}`,
      };
      States[`Reserve${i}`] = {
        ...task,
        Catch: [{ ErrorEquals: ["States.ALL"], Next: `Release${i}` }],
        Next: `C${i + 1}`,
      };
      States[`Release${i}`] = { ...task, Next: "Failed" };
    }
    States.C16 = { Type: "Succeed" };
    States.Failed = { Type: "Fail" };
    const started = performance.now();
    const { diagnostics } = lintReport({ StartAt: "C0", States });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ code: "SAGA_ANALYSIS_INCOMPLETE", severity: "WARNING" }),
    );
  });
});
