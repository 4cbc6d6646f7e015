/**
 * Small statistics and timing helpers for the benchmarks. Percentiles use the nearest-rank method,
 * so a p99 over 200 samples is the 198th smallest, an observed value rather than an interpolation.
 */

/** The median of the samples (mean of the middle two for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError("median: no samples; run at least one round");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0 < p ≤ 100) by nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError("percentile: no samples; run at least one");
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

/**
 * Runs `fn` back to back for about `windowMs` (at least `minIterations` times) and returns the
 * completed executions per second.
 */
export async function ratePerSecond(
  fn: () => Promise<unknown>,
  windowMs: number,
  minIterations = 1,
): Promise<number> {
  const start = performance.now();
  let n = 0;
  let elapsed = 0;
  do {
    await fn();
    n++;
    elapsed = performance.now() - start;
  } while (elapsed < windowMs || n < minIterations);
  return (n * 1000) / elapsed;
}

/** Wall time of one call, milliseconds. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Rotates `items` left by `k`, so each round of a comparison starts with a different side. */
export function rotate<T>(items: readonly T[], k: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const s = ((k % n) + n) % n;
  return [...items.slice(s), ...items.slice(0, s)];
}

/** Writes a progress line to stderr (stdout carries the table). */
export function progress(section: string, message: string): void {
  process.stderr.write(`[bench ${section}] ${message}\n`);
}
