/**
 * A damaged store refuses to start and recovers (issue 16): the WAL cut short, a WAL or database
 * header byte flipped, the WAL deleted, the database cut short. Each damage is done to a copy of
 * the files as a SIGKILL leaves them (database, WAL and state file of a runtime still open: the
 * shared-memory index is rebuilt from the WAL), taken after two runs: the first ends with a clean
 * close (executions A), the second starts B, checkpoints (a clean checkpoint) and starts C, which
 * are only in the WAL. The next open must refuse with a message naming the file and the recovery
 * commands; `--repair` (or `--restore-backup`) must bring back every execution acknowledged before
 * the last clean checkpoint, and the runtime must open the result and answer for them.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../clock.ts";
import { StoreDamagedError } from "../../errors.ts";
import { createRuntime, type SfnRuntime } from "../../runtime.ts";
import { repairStore } from "./repair.ts";
import type { SqliteStore } from "./sqlite-store.ts";
import { DB_FILE, headerPageSize, readHeader, STATE_FILE, WAL_FILE } from "./state-file.ts";
import { scanWal } from "./wal-file.ts";

const T0 = Date.UTC(2026, 0, 1);
const DONE = { StartAt: "P", States: { P: { Type: "Pass", Result: { ok: true }, End: true } } };
const NAP = {
  StartAt: "W",
  States: { W: { Type: "Wait", Seconds: 3600, Next: "P" }, P: { Type: "Pass", End: true } },
};

const dirs: string[] = [];
let crashed = "";
const arns = { a: [] as string[], b: [] as string[], c: [] as string[] };

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "sfn-damage-"));
  dirs.push(d);
  return d;
}

function storeOf(runtime: SfnRuntime): SqliteStore {
  return (runtime as unknown as { store: SqliteStore }).store;
}

async function start(runtime: SfnRuntime, machine: string, names: string[], into: string[]) {
  for (const name of names) {
    const { executionArn } = await runtime.startExecution({
      stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${machine}`,
      name,
      input: JSON.stringify({ name, pad: "x".repeat(2000) }),
    });
    into.push(executionArn);
  }
}

const names = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${i}`);

beforeAll(async () => {
  const dir = tempDir();
  const clock = new VirtualClock(T0);
  const first = createRuntime({ dataDir: dir, clock, backups: 2 });
  for (const [name, def] of Object.entries({ done: DONE, nap: NAP })) {
    first.createStateMachine({ name, definition: JSON.stringify(def) });
  }
  await start(first, "done", names("a-done-", 20), arns.a);
  await start(first, "nap", names("a-nap-", 20), arns.a);
  await first.close(); // a clean close: the last clean checkpoint of this run

  const second = createRuntime({ dataDir: dir, clock, backups: 2 });
  expect(await storeOf(second).backedUp).toMatch(/backups\/sfn-\d+T\d+Z\.sqlite$/);
  await start(second, "done", names("b-done-", 20), arns.b);
  await start(second, "nap", names("b-nap-", 20), arns.b);
  storeOf(second).checkpoint(); // a clean checkpoint: A and B are in the database
  await start(second, "done", names("c-done-", 20), arns.c);
  await start(second, "nap", names("c-nap-", 20), arns.c);
  crashed = tempDir();
  for (const f of [DB_FILE, WAL_FILE, STATE_FILE]) copyFileSync(join(dir, f), join(crashed, f));
  mkdirSync(join(crashed, "backups"));
  const backups = join(dir, "backups");
  for (const f of readdirSync(backups)) {
    copyFileSync(join(backups, f), join(crashed, "backups", f));
  }
  await second.close();
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh copy of the crashed store, damaged by `damage`. */
function damagedCopy(damage: (dir: string) => void): string {
  const dir = tempDir();
  mkdirSync(join(dir, "backups"));
  for (const f of [DB_FILE, WAL_FILE, STATE_FILE]) copyFileSync(join(crashed, f), join(dir, f));
  for (const f of readdirSync(join(crashed, "backups"))) {
    copyFileSync(join(crashed, "backups", f), join(dir, "backups", f));
  }
  damage(dir);
  return dir;
}

function flipByte(path: string, at: number): void {
  const fd = openSync(path, "r+");
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, at);
    b[0] = (b[0] as number) ^ 0x10;
    writeSync(fd, b, 0, 1, at);
  } finally {
    closeSync(fd);
  }
}

function pageSize(dir: string): number {
  return headerPageSize(readHeader(join(dir, DB_FILE)) as Buffer);
}

/** Opening refuses: the error names the damaged file and both recovery commands. */
function expectRefused(dir: string, file: string, problem: RegExp): void {
  let error: unknown;
  try {
    createRuntime({ dataDir: dir, clock: new VirtualClock(T0) });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(StoreDamagedError);
  const message = (error as Error).message;
  expect(message).toContain(join(dir, file));
  expect(message).toMatch(problem);
  expect(message).toContain(`countersign sfn serve --data-dir ${dir} --repair`);
  expect(message).toContain(`countersign sfn serve --data-dir ${dir} --restore-backup`);
}

/** The runtime opens the recovered store and knows every execution in `expected`. */
async function expectExecutions(dir: string, expected: string[]): Promise<void> {
  const runtime = createRuntime({ dataDir: dir, clock: new VirtualClock(T0) });
  try {
    for (const executionArn of expected) {
      const d = runtime.describeExecution({ executionArn });
      expect(d.status).toBe(executionArn.includes(":nap:") ? "RUNNING" : "SUCCEEDED");
      expect(runtime.getExecutionHistory({ executionArn }).events.length).toBeGreaterThan(1);
    }
  } finally {
    await runtime.close();
  }
}

describe("a damaged store refuses to start and recovers", () => {
  it("the crash copy itself (no damage) opens with every acknowledged execution", async () => {
    const dir = damagedCopy(() => undefined);
    await expectExecutions(dir, [...arns.a, ...arns.b, ...arns.c]);
  });

  it("WAL cut short inside a frame: refused; --repair keeps every whole commit", async () => {
    const dir = damagedCopy((d) => {
      const wal = join(d, WAL_FILE);
      const scan = scanWal(wal);
      expect(scan.validFrames).toBeGreaterThan(1);
      const cut = 32 + scan.validFrames * (24 + scan.pageSize) - 100;
      // Not at a 4 KiB boundary, where a crash could have cut it (wal-file.test.ts).
      expect(cut % 4096).not.toBe(0);
      truncateSync(wal, cut);
    });
    expectRefused(dir, WAL_FILE, /cut short/);
    const r = repairStore(dir);
    expect(r.method).toBe("repaired");
    expect(r.lost.join("\n")).toMatch(/commits after them are lost/);
    expect(existsSync(join(r.savedTo as string, WAL_FILE))).toBe(true);
    await expectExecutions(dir, [...arns.a, ...arns.b]);
  });

  it.each([3, 10, 17, 26])(
    "WAL header byte %i flipped (SQLite would drop the whole WAL): refused; --repair loses nothing",
    async (at) => {
      const dir = damagedCopy((d) => flipByte(join(d, WAL_FILE), at));
      expectRefused(dir, WAL_FILE, /WAL header fails its checksum/);
      const r = repairStore(dir);
      expect(r.lost).toEqual([]);
      expect(r.kept.executions).toBe(arns.a.length + arns.b.length + arns.c.length);
      await expectExecutions(dir, [...arns.a, ...arns.b, ...arns.c]);
    },
  );

  it("WAL deleted after an unclean stop: refused; --repair keeps what was checkpointed", async () => {
    const dir = damagedCopy((d) => rmSync(join(d, WAL_FILE)));
    expectRefused(dir, WAL_FILE, /missing although the store was not closed cleanly/);
    const r = repairStore(dir);
    expect(r.lost.join("\n")).toMatch(/the WAL was missing/);
    await expectExecutions(dir, [...arns.a, ...arns.b]);
  });

  it("database header byte flipped: refused; --repair restores the header and loses nothing", async () => {
    const dir = damagedCopy((d) => flipByte(join(d, DB_FILE), 21));
    expectRefused(dir, DB_FILE, /damaged header/);
    const r = repairStore(dir);
    expect(r.lost).toEqual([]);
    expect(r.kept.executions).toBe(arns.a.length + arns.b.length + arns.c.length);
    await expectExecutions(dir, [...arns.a, ...arns.b, ...arns.c]);
  });

  it("database cut short: refused; --restore-backup brings back the last clean start", async () => {
    const damage = (d: string) => {
      const db = join(d, DB_FILE);
      const pages = statSync(db).size / pageSize(d);
      truncateSync(db, Math.floor(pages / 2) * pageSize(d));
    };
    const dir = damagedCopy(damage);
    expectRefused(dir, DB_FILE, /smaller than the \d+ it had at the last checkpoint/);
    const r = repairStore(dir, { fromBackup: true });
    expect(r.method).toBe("backup");
    expect(r.kept.executions).toBe(arns.a.length);
    await expectExecutions(dir, arns.a);

    // --repair instead: keeps every row it can read, lists what it could not, and opens.
    const other = damagedCopy(damage);
    const repaired = repairStore(other);
    expect(repaired.lost.length).toBeGreaterThan(0);
    // Which rows survive depends on where the b-trees put them (a split moves rows to new pages
    // at the end of the file, the part cut off): what the repair keeps must hang together.
    const runtime = createRuntime({ dataDir: other, clock: new VirtualClock(T0) });
    try {
      // What was kept hangs together: each execution it has answers with its history.
      let kept = 0;
      for (const executionArn of [...arns.a, ...arns.b, ...arns.c]) {
        let found = true;
        try {
          runtime.describeExecution({ executionArn });
        } catch (error) {
          expect((error as Error).name).toBe("ExecutionDoesNotExist");
          found = false;
        }
        if (!found) continue;
        kept++;
        expect(runtime.getExecutionHistory({ executionArn }).events[0]?.type).toBe(
          "ExecutionStarted",
        );
      }
      expect(kept).toBe(repaired.kept.executions);
    } finally {
      await runtime.close();
    }
  });
});
