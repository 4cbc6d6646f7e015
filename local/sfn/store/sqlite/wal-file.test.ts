/**
 * What a crash can leave in a WAL is not damage; everything else is (`wal-file.ts`). A SIGKILL
 * cuts a write short only where the kernel moves from one page-cache page to the next (a multiple
 * of 4 KiB) and tears only the frame being written, the last of its generation: SQLite ignores
 * such a frame, which was never part of an acknowledged commit. A file cut anywhere else, or a
 * failing frame with frames of its generation after it, loses acknowledged commits.
 */
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { VirtualClock } from "../../clock.ts";
import { createRuntime } from "../../runtime.ts";
import { scanWal } from "./wal-file.ts";

const root = mkdtempSync(join(tmpdir(), "sfn-wal-file-"));
const crashed = join(root, "crashed-wal");
let frameSize = 0;
let frames = 0;

beforeAll(async () => {
  const dir = join(root, "live");
  const runtime = createRuntime({ dataDir: dir, clock: new VirtualClock(0), backups: 0 });
  const { stateMachineArn } = runtime.createStateMachine({
    name: "done",
    definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }),
  });
  for (let i = 0; i < 30; i++) {
    await runtime.startExecution({
      stateMachineArn,
      input: JSON.stringify({ pad: "x".repeat(3000) }),
    });
  }
  copyFileSync(join(dir, "sfn.sqlite-wal"), crashed);
  await runtime.close();
  const scan = scanWal(crashed);
  expect(scan.damage).toBeUndefined();
  frameSize = 24 + scan.pageSize;
  frames = scan.validFrames;
  expect(frames).toBeGreaterThan(3);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function copy(change: (path: string) => void): string {
  const path = join(root, `wal-${Math.random().toString(36).slice(2)}`);
  copyFileSync(crashed, path);
  change(path);
  return path;
}

function flip(path: string, at: number): void {
  const fd = openSync(path, "r+");
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, at);
  b[0] = (b[0] as number) ^ 0x01;
  writeSync(fd, b, 0, 1, at);
  closeSync(fd);
}

const endOfFrame = (n: number) => 32 + n * frameSize;

it("a last frame cut at a 4 KiB boundary (a write SIGKILL cut short) is not damage", () => {
  const cut = Math.floor((endOfFrame(frames) - 1) / 4096) * 4096;
  expect(cut).toBeGreaterThan(endOfFrame(frames - 1));
  const scan = scanWal(copy((p) => truncateSync(p, cut)));
  expect(scan.damage).toBeUndefined();
  expect(scan.validFrames).toBe(frames - 1);
});

it("a WAL cut anywhere else inside a frame is damage", () => {
  const scan = scanWal(copy((p) => truncateSync(p, endOfFrame(frames) - 100)));
  expect(scan.damage).toMatch(/ends inside a frame .* cut short/);
  expect(scan.framesLost).toBe(true);
});

it("a failing frame with frames of its generation after it is damage", () => {
  const scan = scanWal(copy((p) => flip(p, endOfFrame(1) + 24 + 100)));
  expect(scan.damage).toMatch(/frame 2 of the WAL fails its checksum/);
  expect(scan.validFrames).toBe(1);
});

it("a failing last frame (as a torn write leaves it) is not", () => {
  const scan = scanWal(copy((p) => flip(p, endOfFrame(frames - 1) + 24 + 100)));
  expect(scan.damage).toBeUndefined();
  expect(scan.validFrames).toBe(frames - 1);
});
