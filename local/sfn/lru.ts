/**
 * A least-recently-used map with a fixed capacity: the runtime's caches (execution rows, live
 * snapshots, compiled machines, definitions by hash, state machine rows) are all this one class,
 * so each holds a bounded number of entries however many executions the store holds.
 *
 * A `Map` keeps insertion order, so the least recently used entry is the first key: `get` moves a
 * hit to the end (delete + set), `set` evicts from the front. A capacity of 0 keeps nothing.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();

  /** `onEvict` runs for entries pushed out by `set` (not for `delete` or `clear`). */
  constructor(
    readonly capacity: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`an LRU capacity must be a whole number ≥ 0, got ${capacity}`);
    }
  }

  get size(): number {
    return this.map.size;
  }

  /** The value, marked as most recently used; undefined on a miss. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    // With one entry (or a miss) there is nothing to reorder: the common case of one definition.
    if (value !== undefined && this.map.size > 1) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** The value without touching its recency. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Stores `value` as the most recently used entry, evicting the least recently used ones. */
  set(key: K, value: V): void {
    if (this.capacity === 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as K;
      const evicted = this.map.get(oldest) as V;
      this.map.delete(oldest);
      this.onEvict?.(oldest, evicted);
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }
}
