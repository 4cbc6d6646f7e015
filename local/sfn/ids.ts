/**
 * Generated execution names: UUIDs version 7 (RFC 9562), time-ordered. A name that grows with time
 * makes its execution's index entries appends at the end of the B-tree, where a random (version 4)
 * name touches a random page per insert: a quarter of a one-step execution's cost on disk.
 */
import { randomFillSync } from "node:crypto";

const pool = Buffer.alloc(4096);
let poolAt = pool.length;
const bytes = Buffer.alloc(16);
let lastMs = 0;
let counter = 0;

/** `n` random bytes from a pooled buffer (one `randomFillSync` per 4 KiB). */
export function randomHex(n: number): string {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += n;
  return pool.toString("hex", poolAt - n, poolAt);
}

/** A version-7 UUID: 48-bit Unix ms, a 12-bit counter within the ms, 62 random bits. */
export function uuidv7(nowMs = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs++; // the RFC's answer to a counter overflow: borrow the next millisecond
    counter = 0;
  }
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  pool.copy(bytes, 8, poolAt, poolAt + 8);
  poolAt += 8;
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const h = bytes.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
