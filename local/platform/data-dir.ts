/**
 * The platform's data directory (default `.countersign/`): DynamoDB Local's files, the engine's
 * SQLite log, the generated signing key and the URLs of the running platform. Everything that must
 * survive a restart lives here, so stopping and starting again loses nothing.
 */
import { randomBytes } from "node:crypto";
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { PlatformConnectionError, PlatformStartError } from "./errors.ts";

export const DEFAULT_DATA_DIR = ".countersign";

/**
 * `mkdir -p` one level at a time: Node's recursive mkdir can spin forever under pseudo
 * filesystems such as /proc instead of failing, and a hang is the worst answer to a typo.
 */
function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir);
}

/** What a running platform serves, written at start so CLI commands can find it. */
export interface PlatformUrls {
  api: string;
  dashboard: string;
  stepFunctions: string;
  dynamodb: string;
  ses: string;
  stateMachineArn: string;
  pid: number;
}

/** Creates the directory if needed and proves it is writable, or explains how to fix it. */
export function prepareDataDir(dir: string): string {
  const abs = resolve(dir);
  try {
    makeDirs(abs);
    accessSync(abs, constants.W_OK);
    // Proven by writing, since access() can say yes where a write fails (a read-only mount,
    // root's view of a chmod); the probe goes at once: a data directory holds only what it needs.
    const probe = join(abs, `.write-test-${process.pid}`);
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (cause) {
    throw new PlatformStartError(
      `Data directory ${abs} is not writable: fix its permissions or pass --data-dir <writable dir>`,
      { cause },
    );
  }
  return abs;
}

/**
 * Claims the data directory for this process (`platform.pid`, created exclusively), so a second
 * platform on the same directory is refused instead of running the same executions, journal and
 * tables twice. A claim whose process is gone (a crash, SIGKILL) is taken over. Returns the
 * release, which removes the claim if it is still ours.
 */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, "platform.pid");
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => {
        try {
          if (readFileSync(file, "utf8").trim() === String(process.pid)) unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const owner = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new PlatformStartError(
          `Another Countersign platform (pid ${owner}) is using the data directory ${dir}: stop it first, or start this one with --data-dir <another directory>`,
        );
      }
      unlinkSync(file);
    }
  }
}

/** Whether a process with this id exists (ours or another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The HMAC key for approval links, magic links and sessions. Locally it is generated once and kept
 * in the data dir (mode 0600), the way an SST secret is on AWS, so links stay valid across restarts.
 */
export function signingKey(dir: string): string {
  const file = join(dir, "signing-key");
  if (!existsSync(file))
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

export function writeUrls(dir: string, urls: PlatformUrls): void {
  writeFileSync(join(dir, "urls.json"), `${JSON.stringify(urls, null, 2)}\n`);
}

/** The URLs of the platform running on `dir`; a clear error when none was started there. */
export function readUrls(dir: string): PlatformUrls {
  const file = join(resolve(dir), "urls.json");
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PlatformUrls;
  } catch (cause) {
    throw new PlatformConnectionError(
      `No running platform found in ${resolve(dir)}: start one with \`npm start\` (or pass --url / --data-dir)`,
      { cause },
    );
  }
}
