/**
 * The store's own record of its files, `<dataDir>/sfn.sqlite.state` (JSON, replaced atomically):
 * written after every checkpoint and at a clean close, read before the next open. It says what
 * the files must at least hold — the database's size and fixed header fields, and which WAL
 * (by its salt) held how many frames — so that a WAL cut short, deleted or with a damaged header,
 * which SQLite would silently ignore, is noticed (`integrity.ts`).
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const DB_FILE = "sfn.sqlite";
export const WAL_FILE = `${DB_FILE}-wal`;
export const SHM_FILE = `${DB_FILE}-shm`;
export const STATE_FILE = `${DB_FILE}.state`;

export interface StoreState {
  version: 1;
  /** True when written by a clean close: the WAL was checkpointed into the database and deleted. */
  clean: boolean;
  /** When this was written (ISO time). */
  at: string;
  pageSize: number;
  /** Hash of the database header's fixed fields (`fixedHeader`). */
  header: string;
  /** Size of the database file: a checkpoint only makes it grow. */
  dbBytes: number;
  /** The WAL after the last checkpoint: its salt and how many frames it held (all in the db). */
  wal?: { salt: string; frames: number };
  /** When the last checkpoint copied the WAL into the database (ISO time). */
  checkpointAt?: string;
}

/** The state file of `dir`: undefined when there is none, "unreadable" when it is not ours. */
export function readState(dir: string): StoreState | "unreadable" | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, STATE_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const state = JSON.parse(text) as StoreState;
    if (state?.version !== 1 || typeof state.dbBytes !== "number") return "unreadable";
    return state;
  } catch {
    return "unreadable";
  }
}

/** Replaces the state file (write, then rename: a reader sees the old one or the new one). */
export function writeState(dir: string, state: StoreState): void {
  const path = join(dir, STATE_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** The database's first 100 bytes (its header), or undefined when the file is shorter. */
export function readHeader(dbPath: string): Buffer | undefined {
  const fd = openSync(dbPath, "r");
  try {
    const header = Buffer.alloc(100);
    return readSync(fd, header, 0, 100, 0) === 100 ? header : undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * The header fields no write changes (https://sqlite.org/fileformat2.html#the_database_header):
 * magic, page size, format versions, reserved space, payload fractions (0-23) and schema format
 * through the reserved zeros (44-91). Change counter, sizes, freelist, schema cookie and the
 * writer's version (24-43, 92-99) change as the database does, and are left out.
 */
export function fixedHeader(header: Buffer): string {
  return createHash("sha256")
    .update(header.subarray(0, 24))
    .update(header.subarray(44, 92))
    .digest("hex")
    .slice(0, 32);
}

/** The page size a header gives (1 means 65536). */
export function headerPageSize(header: Buffer): number {
  const n = header.readUInt16BE(16);
  return n === 1 ? 65536 : n;
}

export const SQLITE_MAGIC = "SQLite format 3\0";
