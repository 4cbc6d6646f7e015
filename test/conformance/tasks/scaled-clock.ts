/**
 * A real clock that runs `speed` times faster than the wall clock. The corpus cases whose Lambda
 * sleeps longer than its Task's TimeoutSeconds need one: a handler that is still running keeps the
 * runtime busy, so a VirtualClock (which moves only once the runtime is idle) would wait for it
 * forever. At 100× a 60 s sleep takes 0.6 s and a 5 s timeout 50 ms, and Node fires timers in
 * deadline order, so the timeout always comes first, as on AWS.
 */
import type { Clock } from "../../../local/sfn/index.ts";

export class ScaledClock implements Clock {
  private readonly realStart = Date.now();

  constructor(
    private readonly start: number,
    private readonly speed: number,
  ) {}

  now(): number {
    return this.start + Math.round((Date.now() - this.realStart) * this.speed);
  }

  schedule(at: number, fn: () => unknown): () => void {
    const timer = setTimeout(() => void fn(), Math.max(0, (at - this.now()) / this.speed));
    timer.unref();
    return () => clearTimeout(timer);
  }
}
