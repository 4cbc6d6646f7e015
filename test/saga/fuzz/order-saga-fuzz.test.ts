/**
 * `countersign asl fuzz` on the order saga (the worked example of test/saga/fuzz/): the saga as
 * written keeps its invariants under injected faults; with its refund step removed, the CLI finds
 * a failed order that keeps the customer's money, prints a shrunk schedule and a replay command,
 * and that command replays the violation. (1,000 runs: README, "Saga safety", measured by CLI.)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { fuzz } from "../../../local/fuzz/fuzz.ts";
import { loadDefinition } from "../../../local/testing/definition-source.ts";
import handlers from "./handlers.ts";
import * as invariants from "./invariants.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const bin = join(root, "bin/countersign.mjs");
const SAGA = join(root, "stacks/order-saga.asl.json");
const dir = mkdtempSync(join(tmpdir(), "saga-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The saga with RefundPayment removed: what pointed at it goes straight to ReleaseStock. */
function withoutRefund(): string {
  const d = JSON.parse(readFileSync(SAGA, "utf8"));
  delete d.States.RefundPayment;
  const text = JSON.stringify(d, null, 2).replaceAll(
    '"Next": "RefundPayment"',
    '"Next": "ReleaseStock"',
  );
  const file = join(dir, "order-saga-no-refund.asl.json");
  writeFileSync(file, text);
  return file;
}

const cli = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", timeout: 300_000 });

describe("asl fuzz on the order saga", { timeout: 600_000 }, () => {
  it("finds no violation in the saga as written", async () => {
    const definition = loadDefinition(
      { file: SAGA },
      (n) => `arn:aws:lambda:us-east-1:123456789012:function:${n}`,
    ).text;

    const report = await fuzz({ definition, handlers, invariants, runs: 12, seed: 11 });

    expect(report.violation?.violations ?? []).toEqual([]);
    expect(report.runs).toBe(12);
    expect(report.faultsInjected).toBeGreaterThan(0);
  });

  it("with the refund removed: finds the kept charge, prints a shrunk schedule, and its replay command replays it", () => {
    const broken = withoutRefund();
    const modules = [
      "--handlers",
      "test/saga/fuzz/handlers.ts",
      "--invariants",
      "test/saga/fuzz/invariants.ts",
    ];

    const found = cli(["asl", "fuzz", broken, ...modules, "--runs", "200", "--seed", "1"]);

    expect(found.status).toBe(1);
    expect(found.stdout).toMatch(/1 violation\(s\)/);
    expect(found.stdout).toMatch(/failed with a net charge \(1 charged, 0 refunded\)/);
    expect(found.stdout).toMatch(/shrunk schedule \(\d+ candidates tried\): \[/);
    const replay = /^replay: countersign (.+)$/m.exec(found.stdout)?.[1] as string;
    expect(replay).toContain("--replay");

    // The printed command, as a shell would split it (its arguments are single-quoted).
    const args = (replay.match(/'[^']*'|\S+/g) ?? []).map((a) => a.replace(/^'|'$/g, ""));
    const again = cli(args);

    expect(again.status).toBe(1);
    expect(again.stdout).toMatch(/^1 runs, 1 violation\(s\)/);
    expect(again.stdout).toMatch(/failed with a net charge \(1 charged, 0 refunded\)/);
  });
});
