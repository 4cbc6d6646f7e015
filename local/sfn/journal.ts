/**
 * The store's redo journal: an append-only file of records (each ends with U+001E and a newline;
 * the store encodes them), one `writeSync` per group commit.
 * A `write` that returned is in the OS page cache, so it survives a SIGKILL of the process exactly
 * as a SQLite WAL commit with `synchronous=NORMAL` does (neither is fsynced). The store folds the
 * records into SQLite in batches and then empties the file; records are numbered, so a record seen
 * again after a crash between the fold's commit and the truncation is skipped.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";

/** What ends every record (a newline alone may occur inside one: JSON input may hold newlines). */
export const RECORD_END = "\x1e\n";

export class Journal {
  private fd: number;
  private bytes = 0;

  /** Opens (creating if needed) the journal at `file`; read it with `records` before appending. */
  constructor(readonly file: string) {
    this.fd = openSync(file, "a+");
  }

  /**
   * Every complete record in the file, in order. A torn tail (a write cut short by a crash: no
   * terminator, or a record `parse` rejects) ends the list; what follows was never acknowledged.
   */
  records<T>(parse: (line: string) => T | undefined): T[] {
    const bytes = readFileSync(this.file);
    const text = bytes.toString("utf8");
    const out: T[] = [];
    let from = 0;
    for (;;) {
      const end = text.indexOf(RECORD_END, from);
      if (end < 0) break;
      let record: T | undefined;
      try {
        record = parse(text.slice(from, end));
      } catch {
        record = undefined;
      }
      if (record === undefined) break;
      out.push(record);
      from = end + RECORD_END.length;
    }
    this.bytes = bytes.length;
    return out;
  }

  /**
   * Appends records (each ending with `RECORD_END`), in one write unless the OS takes less. When
   * the write fails, the file is cut back to where it was: a half-written record must not sit in
   * front of the next, acknowledged ones.
   */
  append(lines: string): void {
    const data = Buffer.from(lines);
    let done = 0;
    try {
      while (done < data.length) done += writeSync(this.fd, data, done);
    } catch (error) {
      try {
        ftruncateSync(this.fd, this.bytes);
      } catch {
        // the write's error is the one to report
      }
      throw error;
    }
    this.bytes += data.length;
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
