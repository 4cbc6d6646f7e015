/**
 * Keeps the durable store's WAL short and its record of itself current. Every second, if anything
 * was committed, a PASSIVE checkpoint copies the WAL into the database (one connection, no other
 * readers: it completes), and the state file (`state-file.ts`) records the WAL's salt and frame
 * count and the database's size. So a damaged WAL can lose only what was committed since the last
 * checkpoint, about a second, and damage to anything older is noticed on the next open
 * (`integrity.ts`). A clean close checkpoints everything, lets SQLite delete the WAL, and records
 * that it was clean.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import {
  DB_FILE,
  fixedHeader,
  headerPageSize,
  readHeader,
  type StoreState,
  WAL_FILE,
  writeState,
} from "./state-file.ts";

/** How often the WAL is checkpointed when something was committed (ms). */
export const CHECKPOINT_INTERVAL_MS = 1000;

export class Checkpointer {
  private timer: NodeJS.Timeout | undefined;
  private last = { log: -1, checkpointed: -1 };
  private lastCheckpointAt: string | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly dataDir: string,
    private readonly intervalMs = CHECKPOINT_INTERVAL_MS,
  ) {}

  /** Records an open store (not clean until closed) and starts the periodic checkpoints. */
  start(): void {
    this.checkpoint(true);
    this.timer = setInterval(() => this.checkpoint(false), this.intervalMs);
    this.timer.unref();
  }

  /**
   * One checkpoint, and the state file when the WAL changed. Never inside a transaction (the
   * interval fires between event-loop turns; a transaction never spans one, but be sure).
   */
  checkpoint(force: boolean): void {
    if (!this.db.open || this.db.inTransaction) return;
    const [r] = this.db.pragma("wal_checkpoint(PASSIVE)") as Array<{
      busy: number;
      log: number;
      checkpointed: number;
    }>;
    if (!r || r.log < 0) return;
    if (!force && r.log === this.last.log && r.checkpointed === this.last.checkpointed) return;
    this.last = { log: r.log, checkpointed: r.checkpointed };
    if (r.checkpointed === r.log) this.lastCheckpointAt = new Date().toISOString();
    const salt = walSalt(join(this.dataDir, WAL_FILE));
    this.write({
      clean: false,
      ...(salt !== undefined && r.log > 0 ? { wal: { salt, frames: r.log } } : {}),
    });
  }

  /**
   * Checkpoints everything and truncates the WAL (before the database closes); `closed` then
   * records a clean close once SQLite has deleted the WAL.
   */
  beforeClose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.db.open || this.db.inTransaction) return;
    const [r] = this.db.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
    // Everything is in the database now: record the clean stop before the WAL goes, so that a
    // crash between SQLite deleting it and the record being written cannot look like a lost WAL.
    if (r && r.busy === 0) this.recordClean();
  }

  closed(): void {
    if (!this.cleanRecorded) this.recordClean();
  }

  private cleanRecorded = false;

  private recordClean(): void {
    this.lastCheckpointAt = new Date().toISOString();
    this.write({ clean: true });
    this.cleanRecorded = true;
  }

  private write(part: Pick<StoreState, "clean" | "wal">): void {
    const dbPath = join(this.dataDir, DB_FILE);
    const header = readHeader(dbPath);
    if (!header) return; // nothing checkpointed yet: nothing to record
    writeState(this.dataDir, {
      version: 1,
      ...part,
      at: new Date().toISOString(),
      pageSize: headerPageSize(header),
      header: fixedHeader(header),
      dbBytes: statSync(dbPath).size,
      ...(this.lastCheckpointAt ? { checkpointAt: this.lastCheckpointAt } : {}),
    });
  }
}

/** The salt of the WAL at `path` (`salt1-salt2` in hex, as `wal-file.ts` reports it). */
function walSalt(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const header = Buffer.alloc(24);
    if (readSync(fd, header, 0, 24, 0) < 24) return undefined;
    const hex = (n: number) => n.toString(16).padStart(8, "0");
    return `${hex(header.readUInt32BE(16))}-${hex(header.readUInt32BE(20))}`;
  } finally {
    closeSync(fd);
  }
}
