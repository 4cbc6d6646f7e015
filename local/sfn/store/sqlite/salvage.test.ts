/**
 * Damage inside the database that only SQLite's integrity check finds (a page of the executions
 * table zeroed after a clean stop): the start refuses, and `--repair` salvages every other row,
 * says which rows it could not read, drops what belonged to the lost executions, and leaves a
 * store the runtime opens and answers from.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { VirtualClock } from "../../clock.ts";
import { StoreDamagedError } from "../../errors.ts";
import { createRuntime } from "../../runtime.ts";
import { repairStore } from "./repair.ts";
import { DB_FILE } from "./state-file.ts";

const dir = mkdtempSync(join(tmpdir(), "sfn-salvage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("a zeroed page of executions: refused, then --repair keeps every other execution", async () => {
  const runtime = createRuntime({ dataDir: dir, clock: new VirtualClock(0), backups: 0 });
  const { stateMachineArn } = runtime.createStateMachine({
    name: "nap",
    definition: JSON.stringify({
      StartAt: "W",
      States: { W: { Type: "Wait", Seconds: 60, End: true } },
    }),
  });
  const arns: string[] = [];
  for (let i = 0; i < 150; i++) {
    const input = JSON.stringify({ i, pad: "z".repeat(1500) });
    arns.push((await runtime.startExecution({ stateMachineArn, input })).executionArn);
  }
  await runtime.close();

  // A leaf page of the executions table in the middle of it, zeroed as a bad sector would leave it.
  const db = new Database(join(dir, DB_FILE), { readonly: true });
  const leaves = db
    .prepare(
      "SELECT pageno FROM dbstat WHERE name = 'executions' AND pagetype = 'leaf' ORDER BY path",
    )
    .all() as Array<{ pageno: number }>;
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  db.close();
  expect(leaves.length).toBeGreaterThan(4);
  const victim = leaves[Math.floor(leaves.length / 2)]?.pageno as number;
  const fd = openSync(join(dir, DB_FILE), "r+");
  writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, (victim - 1) * pageSize);
  closeSync(fd);

  expect(() => createRuntime({ dataDir: dir })).toThrow(StoreDamagedError);
  let message = "";
  try {
    createRuntime({ dataDir: dir });
  } catch (error) {
    message = (error as Error).message;
  }
  // quick_check reports the page, or fails outright on it ("database disk image is malformed").
  expect(message).toContain(`${join(dir, DB_FILE)} `);
  expect(message).toMatch(/fails SQLite's integrity check|cannot be read by SQLite: .*malformed/);

  const r = repairStore(dir);
  expect(r.method).toBe("repaired");
  expect(r.lost.join("\n")).toMatch(/executions: rows \d+ to \d+ could not be read/);
  expect(r.lost.join("\n")).toMatch(/timers: \d+ rows of executions whose row was lost/);
  expect(r.kept.executions).toBeGreaterThan(arns.length / 2);
  expect(r.kept.executions).toBeLessThan(arns.length);

  const reopened = createRuntime({ dataDir: dir, clock: new VirtualClock(0) });
  try {
    let kept = 0;
    for (const executionArn of arns) {
      try {
        expect(reopened.describeExecution({ executionArn }).status).toBe("RUNNING");
        kept++;
      } catch (error) {
        expect((error as Error).name).toBe("ExecutionDoesNotExist");
      }
    }
    expect(kept).toBe(r.kept.executions);
  } finally {
    await reopened.close();
  }
});
