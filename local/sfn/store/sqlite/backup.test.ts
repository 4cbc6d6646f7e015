import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { BACKUP_DIR, listBackups, takeBackup } from "./backup.ts";
import { CONNECTION_PRAGMAS } from "./schema.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A store-like database of `rows` rows of 1 KiB, open for writing as the runtime keeps it. */
function database(rows: number): { dir: string; path: string; db: Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), "countersign-backup-"));
  dirs.push(dir);
  const path = join(dir, "sfn.sqlite");
  const db = new Database(path);
  for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run("x".repeat(1024));
  })();
  return { dir, path, db };
}

describe("backups", () => {
  it("copies one consistent snapshot while the runtime keeps writing", async () => {
    const { dir, path, db } = database(20_000);
    const insert = db.prepare("INSERT INTO t (v) VALUES ('later')");
    const backup = takeBackup(path, dir);
    // Writes on the runtime's connection go on while the worker copies; none waits for it.
    let writes = 0;
    let copying = true;
    const done = backup.done.finally(() => {
      copying = false;
    });
    while (copying) {
      insert.run();
      writes++;
      await new Promise((r) => setImmediate(r));
    }
    const file = await done;
    db.close();
    expect(writes).toBeGreaterThan(0);
    const copy = new Database(file, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    const { rows } = copy.prepare("SELECT count(*) AS rows FROM t").get() as { rows: number };
    copy.close();
    // The snapshot is whole: every row of the start, and of the writes at most those made before
    // the worker began (how many depends on when its thread started, so no exact count).
    expect(rows).toBeGreaterThanOrEqual(20_000);
    expect(rows).toBeLessThanOrEqual(20_000 + writes);
    expect(listBackups(dir).map((b) => b.path)).toEqual([file]);
  });

  it("stopped before it is whole: no backup and no partial file is left", async () => {
    const { dir, path, db } = database(40_000);
    const backup = takeBackup(path, dir);
    await backup.stop();
    await expect(backup.done).rejects.toThrow();
    db.close();
    expect(readdirSync(join(dir, BACKUP_DIR))).toEqual([]);
  });

  it("keeps the newest few", async () => {
    const { dir, path, db } = database(10);
    for (let i = 0; i < 4; i++) {
      await takeBackup(path, dir, 2, new Date(Date.UTC(2026, 11, 7, 12, i))).done;
    }
    db.close();
    const kept = listBackups(dir);
    expect(kept.map((b) => b.at.toISOString())).toEqual([
      "2026-12-07T12:03:00.000Z",
      "2026-12-07T12:02:00.000Z",
    ]);
    expect(kept.every((b) => existsSync(b.path) && b.bytes > 0)).toBe(true);
  });
});
