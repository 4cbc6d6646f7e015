/**
 * Group commit: the steps computed in one event-loop turn are written in one transaction, and
 * each caller resumes only once it is committed. A commit of SQLite's costs tens of microseconds
 * whatever it holds, so sharing it is most of the durable runtime's speed. The steps are written
 * together first; if one throws, the transaction is rolled back and written again with each step
 * in its own savepoint, so a failing step is undone (and rejected) alone.
 *
 * A store without a fixed commit cost (`groupCommit: false`, the in-memory store) writes each
 * step at once, in its own transaction.
 */
import { StoreClosedError } from "../errors.ts";
import type { Store } from "../store/index.ts";

interface Pending {
  write: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const resolved = Promise.resolve();

export class GroupCommit {
  private batch: Pending[] = [];
  private scheduled = false;

  constructor(private readonly store: Store) {}

  /**
   * Queues `write` (store calls only: it may run twice, and what it did the first time is rolled
   * back) and resolves once it is committed; rejects when it was not.
   */
  write(write: () => void): Promise<void> {
    if (!this.store.groupCommit) {
      try {
        if (!this.store.isOpen) throw new StoreClosedError();
        this.store.transaction(write);
        return resolved;
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      this.batch.push({ write, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.batch;
    this.batch = [];
    if (!this.store.isOpen) {
      const error = new StoreClosedError();
      for (const w of batch) w.reject(error);
      return;
    }
    try {
      this.store.transaction(() => {
        for (const w of batch) w.write();
      });
    } catch (error) {
      if (batch.length === 1) (batch[0] as Pending).reject(error);
      else this.oneByOne(batch);
      return;
    }
    for (const w of batch) w.resolve();
  }

  /** After a failed group: again, each step in its own savepoint. */
  private oneByOne(batch: Pending[]): void {
    const failed = new Map<Pending, unknown>();
    try {
      this.store.transaction(() => {
        for (const w of batch) {
          try {
            this.store.savepoint(w.write);
          } catch (error) {
            failed.set(w, error);
          }
        }
      });
    } catch (error) {
      for (const w of batch) if (!failed.has(w)) failed.set(w, error);
    }
    for (const w of batch) {
      if (failed.has(w)) w.reject(failed.get(w));
      else w.resolve();
    }
  }
}
