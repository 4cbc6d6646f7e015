/**
 * Reads a SQLite write-ahead log the way SQLite recovers it (https://sqlite.org/fileformat2.html,
 * "The WAL File Format"), but says what it finds instead of silently ignoring it: SQLite drops a
 * WAL whose header checksum fails, and every frame from the first one whose salt or checksum does
 * not match, without an error. Used on open (`integrity.ts`, before SQLite touches the files) and
 * by the repair, which applies the valid frames itself (`applyWalFrames`).
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import { endianness } from "node:os";

const HEADER = 32;
const FRAME_HEADER = 24;
const VERSION = 3007000;

export interface WalScan {
  /** Bytes in the file. */
  size: number;
  pageSize: number;
  /** `salt1-salt2` in hex: changes each time the WAL restarts after a complete checkpoint. */
  salt: string;
  checkpointSeq: number;
  /** Frames that pass their salt and checksum, in order (SQLite's valid prefix). */
  validFrames: number;
  /** Frames up to and including the last commit frame of the valid prefix (what SQLite keeps). */
  committedFrames: number;
  /** Database size in pages after the last valid commit (0 without one). */
  committedPages: number;
  /** What is wrong with the file, if anything (undefined: as SQLite or a crash leaves it). */
  damage?: string;
  /** The header failed but the frames were readable with its salt and checksum seed. */
  headerRebuilt?: boolean;
  /** Frames after the valid prefix were damaged or cut short (lost, unlike a damaged header). */
  framesLost?: boolean;
}

/** A frame of the WAL: page number, offset of its page data, commit size (0: not a commit). */
export interface WalFrame {
  page: number;
  dataOffset: number;
  commitPages: number;
}

/**
 * Scans the WAL in `path` (a file of 0 bytes is an empty WAL). `expectPageSize` (the database's)
 * lets a WAL whose header is damaged still be read, for the repair.
 */
export function scanWal(
  path: string,
  expectPageSize?: number,
  onFrame?: (frame: WalFrame, fd: number) => void,
): WalScan {
  const fd = openSync(path, "r");
  try {
    return scan(fd, expectPageSize, onFrame);
  } finally {
    closeSync(fd);
  }
}

function scan(
  fd: number,
  expectPageSize: number | undefined,
  onFrame?: (frame: WalFrame, fd: number) => void,
): WalScan {
  const size = fstatSync(fd).size;
  const empty: WalScan = {
    size,
    pageSize: expectPageSize ?? 0,
    salt: "",
    checkpointSeq: 0,
    validFrames: 0,
    committedFrames: 0,
    committedPages: 0,
  };
  if (size === 0) return empty;
  if (size < HEADER) return { ...empty, damage: `the WAL header is cut short (${size} bytes)` };
  const header = Buffer.alloc(HEADER);
  readSync(fd, header, 0, HEADER, 0);
  const magic = header.readUInt32BE(0);
  let bigEndian = magic === 0x377f0683;
  let pageSize = header.readUInt32BE(8);
  let salt1 = header.readUInt32BE(16);
  let salt2 = header.readUInt32BE(20);
  let seed: [number, number] = [header.readUInt32BE(24), header.readUInt32BE(28)];
  const headerOk =
    (magic === 0x377f0682 || magic === 0x377f0683) &&
    header.readUInt32BE(4) === VERSION &&
    validPageSize(pageSize) &&
    sameSum(checksum(header.subarray(0, 24), [0, 0], bigEndian), seed);
  let damage: string | undefined;
  let headerRebuilt = false;
  let frameDamage: string | undefined;
  const headerDamage = "the WAL header fails its checksum (SQLite ignores such a WAL entirely)";
  if (!headerOk) {
    damage = headerDamage;
    // For the repair: find the salt and checksum seed the frames were written with (`rebuild`).
    if (!expectPageSize) return { ...empty, damage };
    pageSize = expectPageSize;
    const found = rebuildHeader(fd, header, pageSize, size);
    if (!found) return { ...empty, damage: `${damage}; its frames cannot be read either` };
    ({ bigEndian, salt1, salt2, seed } = found);
    headerRebuilt = true;
  }
  const frameSize = FRAME_HEADER + pageSize;
  const frame = Buffer.alloc(frameSize);
  const out: WalScan = {
    size,
    pageSize,
    salt: `${hex(salt1)}-${hex(salt2)}`,
    checkpointSeq: header.readUInt32BE(12),
    validFrames: 0,
    committedFrames: 0,
    committedPages: 0,
  };
  let offset = HEADER;
  let sum = seed;
  const pending: WalFrame[] = [];
  while (offset + frameSize <= size) {
    readSync(fd, frame, 0, frameSize, offset);
    const frameSalt1 = frame.readUInt32BE(8);
    const frameSalt2 = frame.readUInt32BE(12);
    if (frameSalt1 !== salt1 || frameSalt2 !== salt2) {
      // Frames of an earlier generation of the WAL (SQLite reuses the file): not damage.
      break;
    }
    let next = checksum(frame.subarray(0, 8), sum, bigEndian);
    next = checksum(frame.subarray(FRAME_HEADER), next, bigEndian);
    if (!sameSum(next, [frame.readUInt32BE(16), frame.readUInt32BE(20)])) {
      // The last frame of this generation torn by a crash (its page partly written over an
      // earlier generation's) fails too, and was never part of a commit SQLite acknowledged; a
      // failing frame with frames of this generation after it is damage.
      if (laterFrameOfGeneration(fd, offset + frameSize, frameSize, size, salt1, salt2)) {
        frameDamage = `frame ${out.validFrames + 1} of the WAL fails its checksum (SQLite ignores it and every frame after it)`;
      }
      break;
    }
    sum = next;
    out.validFrames++;
    const f: WalFrame = {
      page: frame.readUInt32BE(0),
      dataOffset: offset + FRAME_HEADER,
      commitPages: frame.readUInt32BE(4),
    };
    pending.push(f);
    if (f.commitPages > 0) {
      out.committedFrames = out.validFrames;
      out.committedPages = f.commitPages;
      if (onFrame) for (const p of pending) onFrame(p, fd);
      pending.length = 0;
    }
    offset += frameSize;
  }
  const rest = size - offset;
  // SIGKILL can cut a write short, but only where the kernel copies one page-cache page and moves
  // to the next (a multiple of 4 KiB in the file), or between the frame header and page writes
  // SQLite makes: a WAL that ends inside a frame anywhere else was cut short.
  if (!frameDamage && rest > 0 && rest < frameSize && rest !== FRAME_HEADER && size % 4096 !== 0) {
    frameDamage = `the WAL ends inside a frame (${rest} of ${frameSize} bytes): the file was cut short`;
  }
  if (frameDamage) {
    damage = damage ? `${damage}; ${frameDamage}` : frameDamage;
    out.framesLost = true;
  }
  if (headerRebuilt) out.headerRebuilt = true;
  if (damage) out.damage = damage;
  return out;
}

/** Whether a frame with this generation's salt starts at or after `offset` (frame headers only). */
function laterFrameOfGeneration(
  fd: number,
  offset: number,
  frameSize: number,
  size: number,
  salt1: number,
  salt2: number,
): boolean {
  const head = Buffer.alloc(FRAME_HEADER);
  for (let at = offset; at + frameSize <= size; at += frameSize) {
    readSync(fd, head, 0, FRAME_HEADER, at);
    if (head.readUInt32BE(8) === salt1 && head.readUInt32BE(12) === salt2) return true;
  }
  return false;
}

interface HeaderGuess {
  bigEndian: boolean;
  salt1: number;
  salt2: number;
  seed: [number, number];
}

/**
 * The salt and checksum seed of a WAL whose header is damaged, proven by its first frame's
 * checksum. Every frame carries the salt, and the seed is the checksum of the header's first 24
 * bytes: so one damaged byte anywhere in the header can be read past — in the magic, version,
 * page size or sequence (the stored seed still holds), in the salt (take the frame's), or in the
 * stored seed (compute it again from the rest). Both byte orders are tried when the magic is gone.
 */
function rebuildHeader(
  fd: number,
  header: Buffer,
  pageSize: number,
  size: number,
): HeaderGuess | undefined {
  const frameSize = FRAME_HEADER + pageSize;
  if (size < HEADER + frameSize) return undefined;
  const frame = Buffer.alloc(frameSize);
  readSync(fd, frame, 0, frameSize, HEADER);
  const salt1 = frame.readUInt32BE(8);
  const salt2 = frame.readUInt32BE(12);
  const magic = header.readUInt32BE(0);
  const orders =
    magic === 0x377f0683
      ? [true]
      : magic === 0x377f0682
        ? [false]
        : [endianness() === "BE", endianness() !== "BE"];
  const stored: [number, number] = [header.readUInt32BE(24), header.readUInt32BE(28)];
  const fixed = Buffer.from(header.subarray(0, 24));
  fixed.writeUInt32BE(VERSION, 4);
  fixed.writeUInt32BE(pageSize, 8);
  fixed.writeUInt32BE(salt1, 16);
  fixed.writeUInt32BE(salt2, 20);
  for (const bigEndian of orders) {
    fixed.writeUInt32BE(bigEndian ? 0x377f0683 : 0x377f0682, 0);
    for (const seed of [stored, checksum(fixed, [0, 0], bigEndian)]) {
      let sum = checksum(frame.subarray(0, 8), seed, bigEndian);
      sum = checksum(frame.subarray(FRAME_HEADER), sum, bigEndian);
      if (sameSum(sum, [frame.readUInt32BE(16), frame.readUInt32BE(20)])) {
        return { bigEndian, salt1, salt2, seed };
      }
    }
  }
  return undefined;
}

/**
 * Writes the committed frames of the WAL at `walPath` into the database file at `dbPath` and sets
 * its size to the last commit's, as a checkpoint does. Returns the scan.
 */
export function applyWalFrames(dbPath: string, walPath: string, pageSize: number): WalScan {
  const db = openSync(dbPath, "r+");
  try {
    const page = Buffer.alloc(pageSize);
    const result = scanWal(walPath, pageSize, (f, walFd) => {
      readSync(walFd, page, 0, pageSize, f.dataOffset);
      writeSync(db, page, 0, pageSize, (f.page - 1) * pageSize);
    });
    if (result.committedPages > 0) ftruncateSync(db, result.committedPages * pageSize);
    return result;
  } finally {
    closeSync(db);
  }
}

/** SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing `[s0, s1]`. */
function checksum(data: Buffer, [s0, s1]: [number, number], bigEndian: boolean): [number, number] {
  let a = s0 >>> 0;
  let b = s1 >>> 0;
  for (let i = 0; i < data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    a = (a + x0 + b) >>> 0;
    b = (b + x1 + a) >>> 0;
  }
  return [a, b];
}

function sameSum(a: [number, number], b: [number, number]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function validPageSize(n: number): boolean {
  return n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, "0");
}
