/**
 * Bookkeeping of the runtime's asynchronous work: a lock per execution (its events are applied
 * one at a time, in arrival order) and the set of promises in flight, so `idle()` can wait for
 * everything a test or a shutdown must see finished.
 *
 * (No named closures here: under tsx every named arrow function costs an `Object.defineProperty`
 * when it is created, and these run for every step.)
 */
type Start = () => void;

export class Work {
  /** Per locked key, the calls waiting for it (empty while one runs and none waits). */
  private readonly queues = new Map<string, Start[]>();
  private readonly inflight = new Set<Promise<unknown>>();

  /** Runs `fn` once every earlier `locked` call for `key` has settled. */
  locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const queue = this.queues.get(key);
    if (!queue) {
      this.queues.set(key, []);
      return this.track(this.run(key, fn));
    }
    return this.track(
      new Promise<T>((resolve, reject) => {
        queue.push(() => {
          this.run(key, fn).then(resolve, reject);
        });
      }),
    );
  }

  /** Counts `p` as in flight until it settles. */
  track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    p.then(
      () => this.inflight.delete(p),
      () => this.inflight.delete(p),
    );
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

  /** Runs the holder of `key`'s lock, then hands the lock to the next waiting call. */
  private run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p: Promise<T>;
    try {
      p = fn();
    } catch (error) {
      p = Promise.reject(error);
    }
    p.then(
      () => this.release(key),
      () => this.release(key),
    );
    return p;
  }

  private release(key: string): void {
    const next = this.queues.get(key)?.shift();
    if (next) next();
    else this.queues.delete(key);
  }
}
