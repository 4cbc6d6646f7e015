/**
 * Automatic backups of the durable store: each start that passed the integrity checks copies the
 * database (SQLite's online backup, in steps, while the runtime runs) to
 * `<dataDir>/backups/sfn-<time>.sqlite`, keeping the newest few. A backup is written under a
 * temporary name and renamed once whole, so every file listed here is a complete, consistent copy.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";

export const BACKUP_DIR = "backups";
/** Backups kept by default. */
export const DEFAULT_BACKUPS = 3;
const NAME = /^sfn-(\d{8}T\d{9}Z)\.sqlite$/;

export interface BackupFile {
  path: string;
  /** When it was taken. */
  at: Date;
  bytes: number;
}

/** The backups in `dataDir`, newest first. */
export function listBackups(dataDir: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(join(dataDir, BACKUP_DIR));
  } catch {
    return [];
  }
  return names
    .filter((n) => NAME.test(n))
    .sort()
    .reverse()
    .map((n) => {
      const path = join(dataDir, BACKUP_DIR, n);
      return {
        path,
        at: parseStamp((NAME.exec(n) as RegExpExecArray)[1] as string),
        bytes: size(path),
      };
    });
}

/**
 * Copies `db` to a new backup in `dataDir` and deletes all but the newest `keep`. Resolves with
 * the backup's path; rejects (leaving no partial file) if the copy fails or the database closes.
 */
export async function takeBackup(
  db: Database.Database,
  dataDir: string,
  keep = DEFAULT_BACKUPS,
  now = new Date(),
): Promise<string> {
  const dir = join(dataDir, BACKUP_DIR);
  mkdirSync(dir, { recursive: true });
  // A copy a crash interrupted was never a backup: clear it away.
  for (const n of readdirSync(dir))
    if (n.endsWith(".partial")) rmSync(join(dir, n), { force: true });
  const path = join(dir, `sfn-${stamp(now)}.sqlite`);
  const partial = `${path}.partial`;
  try {
    await db.backup(partial);
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  for (const old of listBackups(dataDir).slice(keep)) rmSync(old.path, { force: true });
  return path;
}

/** `20261207T171500123Z`: sorts as time does, and is a valid file name everywhere. */
function stamp(d: Date): string {
  return d.toISOString().replace(/[-:.]/g, "");
}

function parseStamp(s: string): Date {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(\d{3})Z$/.exec(s);
  if (!m) return new Date(Number.NaN);
  const [, y, mo, d, h, mi, se, ms] = m;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${se}.${ms}Z`);
}

function size(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
