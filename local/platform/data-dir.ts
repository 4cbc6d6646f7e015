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

/** A claim on the data directory: `stopping()` says the owner is shutting down, `release()` ends it. */
export interface DataDirLock {
  stopping(): void;
  release(): void;
}

/**
 * Claims the data directory for this process (`platform.pid`, created exclusively), so a second
 * platform on the same directory is refused instead of running the same executions, journal and
 * tables twice. A claim whose process is gone (a crash, SIGKILL) is taken over. A claim whose
 * owner is shutting down (Ctrl-C, then `npm start` again before the old one has flushed) is
 * waited for, up to `waitMs`, instead of refused.
 */
export async function lockDataDir(dir: string, waitMs = 30_000): Promise<DataDirLock> {
  const file = join(dir, "platform.pid");
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      const ours = () => {
        try {
          return readFileSync(file, "utf8").trim().split(" ")[0] === String(process.pid);
        } catch {
          return false; // already gone
        }
      };
      return {
        stopping: () => {
          if (ours()) writeFileSync(file, `${process.pid} stopping`);
        },
        release: () => {
          if (ours()) unlinkSync(file);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const [pid, state] = readClaim(file);
      if (pid === undefined || pid === process.pid || !isAlive(pid)) {
        unlinkSync(file);
        continue;
      }
      if (state !== "stopping" || Date.now() > deadline) {
        throw new PlatformStartError(
          `Another Countersign platform (pid ${pid}) is using the data directory ${dir}: stop it first, or start this one with --data-dir <another directory>`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The claim's owner and state (`stopping` while it shuts down); a vanished file has neither. */
function readClaim(file: string): [number | undefined, string | undefined] {
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch {
    return [undefined, undefined];
  }
  const [pid, state] = text.split(" ");
  const n = Number(pid);
  return [Number.isInteger(n) && n > 0 ? n : undefined, state];
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
