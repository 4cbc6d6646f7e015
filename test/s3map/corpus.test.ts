/**
 * The AWS-recorded S3 corpus (`conformance/aws-recorded-s3map`): Distributed Map item readers,
 * item batching and `aws-sdk:s3` tasks, each case's fixture loaded into the run's local S3 (the
 * global setup's), run through the wire API. Counts are printed; known differences are listed in
 * `known-failures.ts` with their reasons, and a listed case that starts passing fails the test so
 * the list only shrinks.
 */

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRuntime } from "../../local/sfn/index.ts";
import { CORPORA } from "../conformance/corpora.ts";
import { serveOverWire, type WireApi } from "../support/sfn-wire.ts";
import { knownS3Failures, knownS3HistoryMismatches } from "./known-failures.ts";
import { judgeS3Case, loadS3Cases, localS3Client, type S3Verdict } from "./s3map-corpus.ts";

const cases = loadS3Cases(CORPORA.s3map).filter((c) => c.kind === "execution");
const verdicts = new Map<string, S3Verdict>();
const s3 = localS3Client(inject("s3Endpoint"));
let api: WireApi;

beforeAll(async () => {
  // A real clock: a Map Run's children and the S3 calls run as they would under `sfn serve`.
  api = await serveOverWire(createRuntime({ store: "memory" }));
});
afterAll(async () => {
  await api?.close();
  s3.destroy();
});

describe("AWS-recorded S3 / Distributed Map corpus", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (id, c) => {
    const v = await judgeS3Case(c, api.sfn, s3);
    verdicts.set(id, v);
    if (id in knownS3Failures)
      expect(v.pass, `${id} now passes: remove it from knownS3Failures`).toBe(false);
    else expect(v.diff ?? "", `${id} fails`).toBe("");
    if (v.historyMatch !== undefined) {
      if (id in knownS3HistoryMismatches) expect(v.historyMatch).toBe(false);
      else expect(v.historyDiff ?? "", `${id} history differs`).toBe("");
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
      `s3map conformance: ${passed}/${all.length} cases pass (${pct(passed, all.length)} %), fixtures in the local S3; ` +
        `history event types match for ${histOk}/${withHistory.length} (${pct(histOk, withHistory.length)} %)`,
    );
    expect(passed / all.length).toBeGreaterThanOrEqual(0.95);
  });
});
