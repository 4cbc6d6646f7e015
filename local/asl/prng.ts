/**
 * The engine's deterministic PRNG (sfc32 seeded by cyrb128 of the execution's seed). Its four words
 * live in the snapshot so replaying an execution draws the same numbers (States.UUID,
 * States.MathRandom, JSONata `$random()`/`$uuid()`, retry jitter).
 */

/** PRNG state: four unsigned 32-bit words. */
export type PrngState = [number, number, number, number];

let lastSeed: string | undefined;
let lastState: PrngState | undefined;

/** Hashes a seed string into an initial PRNG state (a fresh copy each call). */
export function seedPrng(seed: string): PrngState {
  // Runs often reuse one seed (benchmarks, tests); hashing it once is enough.
  if (seed === lastSeed && lastState) return [...lastState] as PrngState;
  lastState = hashSeed(seed);
  lastSeed = seed;
  return [...lastState] as PrngState;
}

function hashSeed(seed: string): PrngState {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/** Draws a uniform number in [0, 1), advancing `s` in place. */
export function nextRandom(s: PrngState): number {
  let [a, b, c, d] = s;
  a >>>= 0;
  b >>>= 0;
  c >>>= 0;
  d >>>= 0;
  let t = (a + b) | 0;
  a = b ^ (b >>> 9);
  b = (c + (c << 3)) | 0;
  c = (c << 21) | (c >>> 11);
  d = (d + 1) | 0;
  t = (t + d) | 0;
  c = (c + t) | 0;
  s[0] = a;
  s[1] = b;
  s[2] = c;
  s[3] = d;
  return (t >>> 0) / 4294967296;
}

/** A version-4 UUID drawn from the PRNG. */
export function nextUuid(s: PrngState): string {
  const hex: string[] = [];
  for (let i = 0; i < 16; i++) {
    let byte = Math.floor(nextRandom(s) * 256);
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    if (i === 8) byte = (byte & 0x3f) | 0x80;
    hex.push(byte.toString(16).padStart(2, "0"));
  }
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
