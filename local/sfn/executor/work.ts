/**
 * Bookkeeping of the runtime's asynchronous work: a lock per execution (its events are applied
 * one at a time, in arrival order) and the set of promises in flight, so `idle()` can wait for
 * everything a test or a shutdown must see finished.
 */
export class Work {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly inflight = new Set<Promise<unknown>>();

  /** Runs `fn` once every earlier `locked` call for `key` has settled. */
  locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key);
    const run = prev ? prev.then(fn, fn) : fn();
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return this.track(run);
  }

  /** Counts `p` as in flight until it settles. */
  track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    const done = () => this.inflight.delete(p);
    p.then(done, done);
    return p;
  }

  get busy(): boolean {
    return this.inflight.size > 0;
  }

  /** Resolves when nothing is in flight (work started by work is waited for too). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) {
      await Promise.allSettled([...this.inflight]);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
