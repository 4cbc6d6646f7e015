/**
 * The checks a durable store passes before a runtime opens it. SQLite itself notices little: it
 * silently ignores a WAL whose header or frames fail their checksums (everything in it is lost),
 * and a WAL cut short or deleted loses its last commits without a word. So, before SQLite touches
 * the files, compare them with the store's own record (`state-file.ts`) and read the WAL as SQLite
 * would (`wal-file.ts`); then run SQLite's `quick_check` on a read-only connection (one that never
 * checkpoints, so a refused store is left exactly as found). Any finding stops the start with an
 * error naming the files and the commands that recover (`repair.ts`, backups).
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { StoreDamagedError } from "../../errors.ts";
import { listBackups } from "./backup.ts";
import {
  DB_FILE,
  fixedHeader,
  headerPageSize,
  readHeader,
  readState,
  SQLITE_MAGIC,
  STATE_FILE,
  WAL_FILE,
} from "./state-file.ts";
import { scanWal } from "./wal-file.ts";

export interface Problem {
  file: string;
  problem: string;
}

/**
 * Throws StoreDamagedError when the store in `dataDir` fails a check; a new directory passes.
 * `command` is the command line that starts this store, which the error completes with the
 * recovery flags (default: `countersign sfn serve --data-dir <dir>`).
 */
export function verifyDataDir(dataDir: string, command?: string): void {
  const problems = checkFiles(dataDir);
  if (problems.length === 0) problems.push(...quickCheck(dataDir));
  if (problems.length > 0) throw damaged(dataDir, problems, command);
}

/** The file-level checks (no SQLite): what the files must hold, and the WAL as SQLite reads it. */
export function checkFiles(dataDir: string): Problem[] {
  const db = join(dataDir, DB_FILE);
  const wal = join(dataDir, WAL_FILE);
  const state = readState(dataDir);
  const problems: Problem[] = [];
  const add = (file: string, problem: string) => problems.push({ file, problem });
  if (state === "unreadable") add(STATE_FILE, "is not a store state file (damaged?)");
  const known = state === "unreadable" ? undefined : state;
  if (!existsSync(db)) {
    if (existsSync(wal) || (known && known.dbBytes > 0)) add(DB_FILE, "is missing");
    return problems;
  }
  const dbBytes = statSync(db).size;
  const header = dbBytes >= 100 ? readHeader(db) : undefined;
  if (!header || header.subarray(0, 16).toString("latin1") !== SQLITE_MAGIC) {
    add(DB_FILE, dbBytes === 0 && !known ? "is empty" : "does not start with a SQLite header");
    if (dbBytes === 0 && !known) problems.pop(); // a file created but never written: new store
    return problems;
  }
  const pageSize = headerPageSize(header);
  if (known) {
    if (fixedHeader(header) !== known.header) {
      add(
        DB_FILE,
        "has a damaged header (fields that never change differ from the last checkpoint's)",
      );
    }
    if (dbBytes < known.dbBytes) {
      add(
        DB_FILE,
        `is ${dbBytes} bytes, smaller than the ${known.dbBytes} it had at the last checkpoint: it was cut short`,
      );
    }
  }
  // A checkpoint that SIGKILL cut short can leave part of a page at a 4 KiB boundary; the WAL it
  // was copying still holds that page, and SQLite copies it again. Anything else was cut short.
  if (dbBytes % pageSize !== 0 && (dbBytes % 4096 !== 0 || !existsSync(wal))) {
    add(
      DB_FILE,
      `is ${dbBytes} bytes, not a whole number of ${pageSize}-byte pages: it was cut short`,
    );
  }
  if (!existsSync(wal)) {
    // SQLite deletes the WAL only when the last connection closes cleanly; after a crash it stays.
    if (known && !known.clean) {
      add(
        WAL_FILE,
        "is missing although the store was not closed cleanly: the commits it held since the last checkpoint are lost",
      );
    }
    return problems;
  }
  const scan = scanWal(wal);
  if (scan.damage) add(WAL_FILE, scan.damage);
  else if (scan.size > 0 && scan.pageSize !== pageSize) {
    add(WAL_FILE, `has ${scan.pageSize}-byte pages but the database ${pageSize}-byte ones`);
  }
  if (known?.wal && !known.clean && scan.salt === known.wal.salt) {
    if (scan.committedFrames < known.wal.frames) {
      add(
        WAL_FILE,
        `holds ${scan.committedFrames} committed frames where the last checkpoint saw ${known.wal.frames}: it was cut short`,
      );
    }
  }
  if (known?.wal && !known.clean && scan.size === 0 && known.wal.frames > 0) {
    add(WAL_FILE, "is empty although the last checkpoint saw it hold frames: it was truncated");
  }
  return problems;
}

/** SQLite's `quick_check` (every page, b-tree and record; not index contents) on a read-only connection. */
export function quickCheck(dataDir: string): Problem[] {
  const path = join(dataDir, DB_FILE);
  if (!existsSync(path)) return [];
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const rows = db.pragma("quick_check(20)") as Array<{ quick_check: string }>;
    const findings = rows.map((r) => r.quick_check).filter((r) => r !== "ok");
    return findings.map((f) => ({
      file: DB_FILE,
      problem: `fails SQLite's integrity check: ${f}`,
    }));
  } catch (error) {
    return [{ file: DB_FILE, problem: `cannot be read by SQLite: ${(error as Error).message}` }];
  } finally {
    db?.close();
  }
}

/** The error for `problems`, with the commands that recover. */
export function damaged(dataDir: string, problems: Problem[], command?: string): StoreDamagedError {
  const dir = resolve(dataDir);
  const start = command ?? `countersign sfn serve --data-dir ${dir}`;
  const backup = listBackups(dir)[0];
  const lines = [
    `The Step Functions store in ${dir} is damaged; not starting, so that nothing more is lost:`,
    ...problems.map((p) => `  - ${join(dir, p.file)} ${p.problem}`),
    "Recover with one of:",
    `  ${start} --repair`,
    "      keeps everything that is consistent, lists what was lost, then starts",
  ];
  if (backup) {
    lines.push(
      `  ${start} --restore-backup`,
      `      restores ${backup.path} (taken at the start of ${backup.at.toISOString()}); later changes are lost`,
    );
  }
  lines.push(`Either way the damaged files are kept, moved to ${join(dir, "damaged-<time>")}/.`);
  return new StoreDamagedError(dir, problems, lines.join("\n"));
}
