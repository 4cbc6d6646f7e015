import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockDataDir, prepareDataDir } from "./data-dir.ts";

const dir = () => mkdtempSync(join(tmpdir(), "countersign-lock-"));

describe("the data directory's claim", () => {
  it("refuses a directory a running platform holds, naming its pid and the way out", () => {
    const d = dir();
    // Our parent (the Vitest runner) is alive for the whole test: it stands in for that platform.
    writeFileSync(join(d, "platform.pid"), String(process.ppid));

    expect(() => lockDataDir(d)).toThrow(
      new RegExp(`pid ${process.ppid}\\) is using the data directory .*--data-dir`),
    );
    expect(readFileSync(join(d, "platform.pid"), "utf8")).toBe(String(process.ppid));
  });

  it("takes over the claim of a platform that died, and releases it on stop", () => {
    const d = dir();
    const gone = spawnSync(process.execPath, ["-e", ""]).pid as number;
    writeFileSync(join(d, "platform.pid"), String(gone));

    const release = lockDataDir(d);

    expect(readFileSync(join(d, "platform.pid"), "utf8")).toBe(String(process.pid));
    release();
    expect(existsSync(join(d, "platform.pid"))).toBe(false);
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
