/**
 * Recovery of a durable store that failed its checks on open (`integrity.ts`): `--repair` keeps
 * everything that is consistent, `--restore-backup` goes back to the newest automatic backup
 * (`backup.ts`). Either way the damaged files are first moved, untouched, to
 * `<dataDir>/damaged-<time>/`, and the result says what was found, what came back and what was lost.
 *
 * The repair does what SQLite would have done had nothing been damaged: a database header whose
 * fixed fields were damaged gets them back (from the newest backup, or SQLite's defaults, checked
 * against the hash the state file recorded), and the WAL's committed frames are copied into the
 * database as a checkpoint would — read past a damaged WAL header (`wal-file.ts`), up to the first
 * frame that fails its checksum. What SQLite's integrity check still finds wrong then is salvaged
 * table by table (`salvage.ts`). Executions in the newest backup that did not come back are listed
 * by ARN.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { listBackups } from "./backup.ts";
import { checkFiles, type Problem, quickCheck } from "./integrity.ts";
import { salvageInto } from "./salvage.ts";
import {
  DB_FILE,
  fixedHeader,
  headerPageSize,
  readHeader,
  readState,
  SHM_FILE,
  STATE_FILE,
  type StoreState,
  WAL_FILE,
} from "./state-file.ts";
import { applyWalFrames } from "./wal-file.ts";

export interface RepairResult {
  dataDir: string;
  /** What the checks found ([] : nothing to do, nothing was touched). */
  problems: Problem[];
  /** "repaired": kept what was consistent; "backup": restored the newest backup. */
  method: "none" | "repaired" | "backup";
  /** Where the damaged files were moved. */
  savedTo?: string;
  /** What the store holds now. */
  kept: { stateMachines: number; executions: number };
  /** What could not be brought back, one line each. */
  lost: string[];
}

/** Repairs the store in `dataDir` (or restores its newest backup); a store that passes is left alone. */
export function repairStore(dataDir: string, options: { fromBackup?: boolean } = {}): RepairResult {
  const dir = resolve(dataDir);
  let problems = checkFiles(dir);
  if (problems.length === 0) problems = quickCheck(dir);
  if (problems.length === 0 && !options.fromBackup) {
    return { dataDir: dir, problems, method: "none", kept: count(join(dir, DB_FILE)), lost: [] };
  }
  const backup = listBackups(dir)[0];
  if (options.fromBackup && !backup) {
    throw new Error(
      `${dir} has no backups (${join(dir, "backups")} is empty): use --repair instead`,
    );
  }
  const savedTo = join(dir, `damaged-${new Date().toISOString().replace(/[-:.]/g, "")}`);
  mkdirSync(savedTo, { recursive: true });
  for (const f of [DB_FILE, WAL_FILE, SHM_FILE, STATE_FILE]) {
    if (existsSync(join(dir, f))) renameSync(join(dir, f), join(savedTo, f));
  }
  const state = readState(savedTo);
  const known = state === "unreadable" ? undefined : state;
  const target = join(dir, DB_FILE);
  const work = `${target}.repairing`;
  rmSync(work, { force: true });
  const lost: string[] = [];
  if (options.fromBackup && backup) {
    copyFileSync(backup.path, work);
    lost.push(`every change after ${backup.at.toISOString()} (when ${backup.path} was taken)`);
  } else {
    rebuild(savedTo, work, known, backup?.path, lost);
  }
  renameSync(work, target);
  rmSync(`${work}-journal`, { force: true });
  const kept = count(target);
  if (backup && !options.fromBackup) lost.push(...missingSince(backup.path, target));
  const after = [...checkFiles(dir), ...quickCheck(dir)];
  if (after.length > 0) {
    throw new Error(
      `the repaired store still fails its checks (${after.map((p) => `${p.file} ${p.problem}`).join("; ")}); the damaged files are in ${savedTo}`,
    );
  }
  return {
    dataDir: dir,
    problems,
    method: options.fromBackup ? "backup" : "repaired",
    savedTo,
    kept,
    lost,
  };
}

/** Builds the repaired database at `work` from the damaged files in `saved`. */
function rebuild(
  saved: string,
  work: string,
  known: StoreState | undefined,
  backupPath: string | undefined,
  lost: string[],
): void {
  const db = join(saved, DB_FILE);
  const wal = join(saved, WAL_FILE);
  const since = known?.checkpointAt ? ` (the last checkpoint was at ${known.checkpointAt})` : "";
  if (existsSync(db)) copyFileSync(db, work);
  else if (backupPath) {
    copyFileSync(backupPath, work);
    lost.push(`the database file was missing: started again from ${backupPath}`);
  } else {
    closeSync(openSync(work, "w"));
    lost.push("the database file was missing and there is no backup: only the WAL's pages remain");
  }
  const pageSize = restoreHeader(work, known, backupPath, lost);
  if (existsSync(wal) && pageSize) {
    const scan = applyWalFrames(work, wal, pageSize);
    if (scan.framesLost) {
      lost.push(
        `${scan.committedFrames} WAL frames were applied (through the last whole commit); ${scan.damage}: commits after them are lost${since}`,
      );
    }
  } else if (known && !known.clean) {
    lost.push(`the WAL was missing: every commit after the last checkpoint is lost${since}`);
  }
  const findings = integrityCheck(work);
  if (findings.length > 0) {
    const salvaged = `${work}.salvage`;
    rmSync(salvaged, { force: true });
    lost.push(...findings.map((f) => `integrity check: ${f}`), ...salvageInto(work, salvaged));
    renameSync(salvaged, work);
  }
}

/**
 * Gives the database back the fixed header fields the state file recorded (their hash), taken
 * from the newest backup or SQLite's defaults for a store of this page size. Returns the page size.
 */
function restoreHeader(
  path: string,
  known: StoreState | undefined,
  backupPath: string | undefined,
  lost: string[],
): number | undefined {
  const header = readHeader(path);
  if (header && (!known || fixedHeader(header) === known.header)) return headerPageSize(header);
  const pageSize = known?.pageSize;
  const candidates: Buffer[] = [];
  const fromBackup = backupPath ? readHeader(backupPath) : undefined;
  if (fromBackup) candidates.push(fromBackup);
  if (pageSize) candidates.push(defaultHeader(pageSize));
  for (const c of candidates) {
    const fixed = Buffer.from(header ?? Buffer.alloc(100));
    c.copy(fixed, 0, 0, 24);
    c.copy(fixed, 44, 44, 92);
    if (!known || fixedHeader(fixed) === known.header) {
      const fd = openSync(path, "r+");
      try {
        writeSync(fd, fixed, 0, 100, 0);
      } finally {
        closeSync(fd);
      }
      return headerPageSize(fixed);
    }
  }
  lost.push("the database header could not be restored to what the last checkpoint recorded");
  return pageSize ?? (header ? headerPageSize(header) : undefined);
}

/** The fixed header fields SQLite writes for a new WAL database with our pragmas. */
function defaultHeader(pageSize: number): Buffer {
  const h = Buffer.alloc(100);
  h.write("SQLite format 3\0", 0, "latin1");
  h.writeUInt16BE(pageSize === 65536 ? 1 : pageSize, 16);
  h[18] = 2; // WAL
  h[19] = 2;
  h[20] = 0; // reserved bytes per page
  h[21] = 64;
  h[22] = 32;
  h[23] = 32;
  h.writeUInt32BE(4, 44); // schema format
  h.writeUInt32BE(1, 56); // UTF-8
  return h;
}

function integrityCheck(path: string): string[] {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const rows = db.pragma("integrity_check(20)") as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).filter((r) => r !== "ok");
  } catch (error) {
    return [(error as Error).message];
  } finally {
    db?.close();
  }
}

/** State machines and executions in the database at `path` (0 where it cannot be read). */
function count(path: string): RepairResult["kept"] {
  if (!existsSync(path)) return { stateMachines: 0, executions: 0 };
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const n = (table: string) => {
      try {
        return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      } catch {
        return 0;
      }
    };
    return { stateMachines: n("state_machines"), executions: n("executions") };
  } finally {
    db.close();
  }
}

/** Executions in the backup at `backupPath` that the store at `path` no longer has. */
function missingSince(backupPath: string, path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.prepare("ATTACH DATABASE ? AS backup").run(backupPath);
    const rows = db
      .prepare(
        "SELECT arn FROM backup.executions WHERE arn NOT IN (SELECT arn FROM main.executions) ORDER BY id",
      )
      .all() as Array<{ arn: string }>;
    return rows.map((r) => `execution ${r.arn} (in the backup, not in the repaired store)`);
  } catch {
    return [];
  } finally {
    db.close();
  }
}

/** The lines `--repair` prints. */
export function describeRepair(r: RepairResult): string[] {
  if (r.method === "none")
    return [`The store in ${r.dataDir} passed its checks: nothing to repair.`];
  return [
    `The store in ${r.dataDir} was damaged:`,
    ...r.problems.map((p) => `  - ${p.file} ${p.problem}`),
    r.method === "backup" ? "Restored the newest backup." : "Repaired: kept everything consistent.",
    `  The damaged files are kept in ${r.savedTo}.`,
    `  Kept: ${r.kept.stateMachines} state machines, ${r.kept.executions} executions.`,
    r.lost.length === 0 ? "  Lost: nothing." : "  Lost:",
    ...r.lost.map((l) => `    - ${l}`),
  ];
}
