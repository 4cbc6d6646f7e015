/**
 * Starts and talks to `fold-worker.cjs`, the thread that folds the journal into SQLite in the
 * background, so a journaled commit costs the caller one `writeSync` and nothing more. See the
 * worker for the control words; everything here is lock-free (`Atomics` on shared memory).
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { CTL } from "./journal-format.ts";

const { APPENDED, FOLDED, GEN, STOP } = CTL;
const WORKER = new URL("./fold-worker.cjs", import.meta.url);
const SQLITE = createRequire(import.meta.url).resolve("better-sqlite3");
/** How long `waitFolded` waits for the worker before giving up on it (then the store folds). */
const CATCH_UP_MS = 30_000;

export class JournalFolder {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(16));
  private readonly worker: Worker;
  private failed: unknown;

  /** Starts folding `journalFile` into `dbFile`; `seq`: the last record already in SQLite. */
  constructor(dbFile: string, journalFile: string, seq: number) {
    Atomics.store(this.ctl, APPENDED, seq);
    Atomics.store(this.ctl, FOLDED, seq);
    this.worker = new Worker(WORKER, {
      workerData: { ctl: this.ctl, dbFile, journalFile, sqlite: SQLITE },
    });
    this.worker.unref();
    this.worker.on("error", (error) => {
      this.failed = error;
    });
    this.worker.on("exit", (code) => {
      this.failed ??= new Error(`the journal folder exited (${code})`);
    });
  }

  /** False once the worker failed: the store then folds on its own thread. */
  get alive(): boolean {
    return this.failed === undefined;
  }

  /** The number of the last record the worker committed to SQLite. */
  get folded(): number {
    return Atomics.load(this.ctl, FOLDED);
  }

  /**
   * Tells the worker records up to `seq` are in the journal (after the write returned). No wake-up:
   * the worker looks every few ms, so it folds many records per transaction, and a `notify` (a
   * futex syscall) per commit would cost as much as the journal write.
   */
  appended(seq: number): void {
    Atomics.store(this.ctl, APPENDED, seq);
  }

  /** The journal was emptied (only ever while `folded` equals the last record appended). */
  emptied(): void {
    Atomics.add(this.ctl, GEN, 1);
  }

  /** Blocks until records up to `seq` are in SQLite; false when the worker is gone or stuck. */
  waitFolded(seq: number): boolean {
    const until = Date.now() + CATCH_UP_MS;
    for (;;) {
      const folded = Atomics.load(this.ctl, FOLDED);
      if (folded >= seq) return true;
      if (!this.alive || Date.now() > until) return false;
      Atomics.notify(this.ctl, APPENDED);
      Atomics.wait(this.ctl, FOLDED, folded, 20);
    }
  }

  /** Asks the worker to finish and close its connection (callers first wait for their folds). */
  stop(): void {
    Atomics.store(this.ctl, STOP, 1);
    Atomics.notify(this.ctl, APPENDED);
  }
}
