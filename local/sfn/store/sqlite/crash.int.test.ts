/**
 * A crash is not damage: a writer process is SIGKILLed at random moments while it starts
 * executions (commits, timer checkpoints and WAL restarts under way), six times on one data
 * directory. Every restart must pass the store's checks (`integrity.ts` must not mistake what a
 * crash leaves for damage) and find every execution that was acknowledged before the kill.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createRuntime } from "../../runtime.ts";

const WRITER = resolve(import.meta.dirname, "crash-writer.fixture.ts");
const dir = mkdtempSync(join(tmpdir(), "sfn-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has acknowledged `count` executions plus a random few, then kills it. */
function writeThenKill(count: number): Promise<{ acknowledged: string[]; refused?: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: string[] = [];
    let buffer = "";
    let stderr = "";
    const target = count + Math.floor(Math.random() * count);
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout.on("data", (c: Buffer) => {
      buffer += c.toString();
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      lines.push(...parts);
      if (lines.length >= target) child.kill("SIGKILL");
    });
    child.on("exit", (code, signal) => {
      const acknowledged = lines.filter((l) => l.startsWith("arn:"));
      if (code === 3) done({ acknowledged, refused: stderr });
      else if (signal === "SIGKILL") done({ acknowledged });
      else fail(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

it("six SIGKILLs mid-write: every restart passes the checks and has every acknowledged execution", {
  timeout: 180_000,
}, async () => {
  const acknowledged: string[] = [];
  for (let round = 0; round < 6; round++) {
    const r = await writeThenKill(200);
    expect(r.refused, `round ${round + 1}`).toBeUndefined();
    acknowledged.push(...r.acknowledged);
  }
  const runtime = createRuntime({ dataDir: dir });
  try {
    for (const executionArn of acknowledged) {
      expect(runtime.describeExecution({ executionArn }).executionArn).toBe(executionArn);
    }
  } finally {
    await runtime.close();
  }
  expect(acknowledged.length).toBeGreaterThanOrEqual(6 * 200);
});
