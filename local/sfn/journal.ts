/**
 * The store's redo journal: an append-only file of JSON lines, one `writeSync` per group commit.
 * A `write` that returned is in the OS page cache, so it survives a SIGKILL of the process exactly
 * as a SQLite WAL commit with `synchronous=NORMAL` does (neither is fsynced). The store folds the
 * records into SQLite in batches and then empties the file; records are numbered, so a record seen
 * again after a crash between the fold's commit and the truncation is skipped.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";

export class Journal {
  private fd: number;
  private bytes = 0;

  /** Opens (creating if needed) the journal at `file`; read it with `records` before appending. */
  constructor(readonly file: string) {
    this.fd = openSync(file, "a+");
  }

  /**
   * Every complete record in the file, in order. A torn tail (a write cut short by a crash: no
   * final newline, or a line that is not JSON) ends the list; what follows it was never acknowledged.
   */
  records(): unknown[] {
    const text = readFileSync(this.file, "utf8");
    const out: unknown[] = [];
    let from = 0;
    for (;;) {
      const end = text.indexOf("\n", from);
      if (end < 0) break;
      try {
        out.push(JSON.parse(text.slice(from, end)));
      } catch {
        break;
      }
      from = end + 1;
    }
    this.bytes = text.length;
    return out;
  }

  /** Appends lines (each one JSON record ending in "\n") in one write. */
  append(lines: string): void {
    this.bytes += writeSync(this.fd, lines);
  }

  /** Bytes written since the last `clear` (an estimate for when to fold). */
  get size(): number {
    return this.bytes;
  }

  /** Empties the file once its records are in SQLite (the fd appends, so writes restart at 0). */
  clear(): void {
    if (this.bytes === 0) return;
    ftruncateSync(this.fd, 0);
    this.bytes = 0;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
