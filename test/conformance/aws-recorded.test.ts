/**
 * Runs every case recorded on AWS (`conformance/aws-recorded`, copied from the shared corpus) through the engine:
 * status and output (numbers by value), or error and cause where the case gives them; and, where
 * recorded, the order of history event types. Known differences are listed with their reasons in
 * known-failures.ts; a listed case that starts matching fails the test so the list only shrinks.
 */
import { basename } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CaseVerdict, judgeCase, loadCases } from "../../local/sfn/index.ts";
import { CORPORA } from "./corpora.ts";
import { knownFailures, knownHistoryMismatches } from "./known-failures.ts";

const CORPUS = CORPORA.pure;
const cases = loadCases([CORPUS]);
const verdicts = new Map<string, CaseVerdict>();
const idOf = (file: string) => basename(file, ".json");

describe("AWS-recorded conformance corpus", () => {
  it.each(cases.map((c) => [idOf(c.file), c] as const))("%s", async (id, c) => {
    const v = await judgeCase(c);
    verdicts.set(id, v);
    if (id in knownFailures) {
      expect(v.pass, `${id} now passes: remove it from knownFailures`).toBe(false);
    } else {
      expect(v.diff ?? "", `${id} fails`).toBe("");
    }
    if (v.historyMatch !== undefined) {
      if (id in knownHistoryMismatches) {
        expect(
          v.historyMatch,
          `${id} history now matches: remove it from knownHistoryMismatches`,
        ).toBe(false);
      } else {
        expect(v.historyDiff ?? "", `${id} history differs`).toBe("");
      }
    }
  });

  it("lists only cases that exist", () => {
    const ids = new Set(cases.map((c) => idOf(c.file)));
    for (const id of [...Object.keys(knownFailures), ...Object.keys(knownHistoryMismatches)]) {
      expect(ids.has(id), `${id} is listed but not in the corpus`).toBe(true);
    }
  });

  afterAll(() => {
    const all = [...verdicts.values()];
    if (all.length < cases.length) return;
    const passed = all.filter((v) => v.pass).length;
    const withHistory = all.filter((v) => v.historyMatch !== undefined);
    const histOk = withHistory.filter((v) => v.historyMatch).length;
    const pct = (a: number, b: number) => ((100 * a) / b).toFixed(1);
    console.log(
      `conformance: ${passed}/${all.length} cases pass (${pct(passed, all.length)} %); ` +
        `history event types match for ${histOk}/${withHistory.length} (${pct(histOk, withHistory.length)} %)`,
    );
    expect(passed / all.length).toBeGreaterThanOrEqual(0.97);
    expect(histOk / withHistory.length).toBeGreaterThanOrEqual(0.9);
  });
});
