/**
 * `java.util.Random(seed).nextInt(bound)`, bit for bit. Step Functions runs on the JVM, so a seeded
 * `States.MathRandom(start, end, seed)` most plausibly draws `start + new Random(seed).nextInt(end -
 * start)`; emulating it gives the best chance of AWS's exact numbers (verified against OpenJDK 17).
 */
const MULTIPLIER = 0x5deece66dn;
const MASK = (1n << 48n) - 1n;

/** The first `nextInt(bound)` of a `java.util.Random` seeded with `seed` (bound ≥ 1). */
export function javaRandomNextInt(seed: number, bound: number): number {
  let state = (BigInt.asIntN(64, BigInt(seed)) ^ MULTIPLIER) & MASK;
  const next31 = (): number => {
    state = (state * MULTIPLIER + 0xbn) & MASK;
    return Number(state >> 17n);
  };
  const m = bound - 1;
  if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(next31())) >> 31n);
  // Java's rejection loop relies on 32-bit overflow of u - r + m.
  for (;;) {
    const u = next31();
    const r = u % bound;
    if (((u - r + m) | 0) >= 0) return r;
  }
}
