/** End to end: `countersign asl run` and `countersign asl test` as a user runs them. */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const BIN = resolve(import.meta.dirname, "../../bin/countersign.mjs");

import { CORPORA } from "../../test/conformance/corpora.ts";

const CORPUS = CORPORA.pure;
const dir = mkdtempSync(join(tmpdir(), "countersign-asl-"));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)("node", [BIN, ...args], {
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("countersign asl", () => {
  it("run prints the output of a definition run with --input @file", async () => {
    const def = join(dir, "double.json");
    writeFileSync(
      def,
      JSON.stringify({
        StartAt: "Wait",
        States: {
          Wait: { Type: "Wait", Seconds: 86400, Next: "Double" },
          Double: { Type: "Pass", Parameters: { "n.$": "States.MathAdd($.n, $.n)" }, End: true },
        },
      }),
    );
    writeFileSync(join(dir, "input.json"), '{"n": 21}');
    const r = await cli("asl", "run", def, "--input", `@${join(dir, "input.json")}`);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ status: "SUCCEEDED", output: { n: 42 } });
  });

  it("run prints error and cause and exits 1 when the execution fails", async () => {
    const def = join(dir, "fail.json");
    writeFileSync(
      def,
      JSON.stringify({
        StartAt: "F",
        States: { F: { Type: "Fail", Error: "Nope", Cause: "because" } },
      }),
    );
    const r = await cli("asl", "run", def);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ status: "FAILED", error: "Nope", cause: "because" });
  });

  it("test reports each failing case with a diff and ends with the totals", async () => {
    const good = join(CORPUS, "base__test_state_fail__get_execution_history.json");
    const bad = join(dir, "bad-case.json");
    const c = JSON.parse(readFileSync(good, "utf8"));
    c.expected.error = "SomethingElse";
    writeFileSync(bad, JSON.stringify(c));
    const r = await cli("asl", "test", good, bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error: expected "SomethingElse", got "SomeFailure"');
    expect(r.stdout.trim().split("\n").at(-1)).toBe("1 passed, 1 failed");
  });

  it("test reports a malformed file by name and goes on with the others", async () => {
    const folder = join(dir, "with-a-broken-file");
    mkdirSync(folder);
    const good = readFileSync(join(CORPUS, "base__test_state_fail__get_execution_history.json"));
    writeFileSync(join(folder, "a-good.json"), good);
    writeFileSync(join(folder, "b-broken.json"), '{"name": "half a case", "definition": {');
    writeFileSync(join(folder, "c-good.json"), good);

    const r = await cli("asl", "test", folder);

    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^FAIL .*b-broken\.json.*\n {2}cannot be read as a case \(.*JSON/m);
    expect(r.stdout.trim().split("\n").at(-1)).toBe("2 passed, 1 failed");
  });

  it("run and test accept --json like every command", async () => {
    const def = join(dir, "pass.json");
    writeFileSync(
      def,
      JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }),
    );
    const good = join(CORPUS, "base__test_state_fail__get_execution_history.json");
    const missing = join(dir, "no-such-case.json");

    const [run, test] = await Promise.all([
      cli("asl", "run", def, "--input", '{"a":1}', "--json"),
      cli("asl", "test", good, missing, "--json"),
    ]);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ status: "SUCCEEDED", output: { a: 1 } });
    expect(test.code).toBe(1);
    expect(JSON.parse(test.stdout)).toEqual({
      passed: 1,
      failed: 1,
      failures: [{ file: missing, problem: "cannot be read as a case (no such file)" }],
    });
  });
});
