/**
 * Transactions for the in-memory store: while one is open, every change records how to undo
 * itself, so a failed transaction (or savepoint) puts the maps back as they were.
 */
export class UndoLog {
  private entries: Array<() => void> | undefined;

  get active(): boolean {
    return this.entries !== undefined;
  }

  /** Called by a change that just happened: `undo` reverts it. Outside a transaction, nothing. */
  record(undo: () => void): void {
    this.entries?.push(undo);
  }

  transaction<T>(fn: () => T): T {
    if (this.entries) return fn();
    this.entries = [];
    try {
      return fn();
    } catch (error) {
      this.revertTo(0);
      throw error;
    } finally {
      this.entries = undefined;
    }
  }

  savepoint(fn: () => void): void {
    const mark = this.entries?.length ?? 0;
    try {
      fn();
    } catch (error) {
      this.revertTo(mark);
      throw error;
    }
  }

  private revertTo(mark: number): void {
    const entries = this.entries;
    if (!entries) return;
    while (entries.length > mark) (entries.pop() as () => void)();
  }
}

/** Sets (or, with `undefined`, deletes) `key` in `map`, recording how to undo it. */
export function setUndoable<K, V>(
  undo: UndoLog,
  map: Map<K, V>,
  key: K,
  value: V | undefined,
): void {
  const had = map.has(key);
  const before = map.get(key);
  if (value === undefined) map.delete(key);
  else map.set(key, value);
  undo.record(() => {
    if (had) map.set(key, before as V);
    else map.delete(key);
  });
}
