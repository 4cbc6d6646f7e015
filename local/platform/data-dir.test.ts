import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockDataDir, prepareDataDir } from "./data-dir.ts";

const dir = () => mkdtempSync(join(tmpdir(), "countersign-lock-"));

describe("the data directory's claim", () => {
  it("refuses a directory a running platform holds, naming its pid and the way out", async () => {
    const d = dir();
    // Our parent (the Vitest runner) is alive for the whole test: it stands in for that platform.
    writeFileSync(join(d, "platform.pid"), String(process.ppid));

    await expect(lockDataDir(d)).rejects.toThrow(
      new RegExp(`pid ${process.ppid}\\) is using the data directory .*--data-dir`),
    );
    expect(readFileSync(join(d, "platform.pid"), "utf8")).toBe(String(process.ppid));
  });

  it("takes over the claim of a platform that died, and releases it on stop", async () => {
    const d = dir();
    const gone = spawnSync(process.execPath, ["-e", ""]).pid as number;
    writeFileSync(join(d, "platform.pid"), String(gone));

    const lock = await lockDataDir(d);

    expect(readFileSync(join(d, "platform.pid"), "utf8")).toBe(String(process.pid));
    lock.release();
    expect(existsSync(join(d, "platform.pid"))).toBe(false);
  });

  it("waits for a platform that is stopping instead of refusing, and gives up after the wait", async () => {
    const d = dir();
    const owner = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    writeFileSync(join(d, "platform.pid"), `${owner.pid} stopping`);
    setTimeout(() => owner.kill(), 300); // it finishes stopping

    const lock = await lockDataDir(d, 10_000);
    expect(readFileSync(join(d, "platform.pid"), "utf8")).toBe(String(process.pid));
    lock.release();

    writeFileSync(join(d, "platform.pid"), `${process.ppid} stopping`); // never finishes
    await expect(lockDataDir(d, 200)).rejects.toThrow(/is using the data directory/);
  });
});

describe("preparing the data directory", () => {
  it("creates it and leaves nothing behind but the directory", () => {
    const d = join(dir(), "nested", "data");

    const abs = prepareDataDir(d);

    expect(abs).toBe(d);
    expect(readdirSync(abs)).toEqual([]);
  });
});
