/**
 * How long `npm start` takes as a person meets it: from the command to the `API:` line of its
 * block (every part answers then), wall time and CPU time — the Node process and everything it
 * started (DynamoDB Local's JVM and its shell guard), read from /proc at that line. The real
 * `countersign start` runs in a child process, as `npm start` runs it (without npm's own
 * fraction of a second), with the demo shop.
 *
 * The first start is on a new data directory (the table is created and the demo catalogue
 * imported) with TypeScript compiled afresh (`TSX_DISABLE_CACHE=1`, as on a machine that never
 * ran it); what `npm ci` builds (the dashboard, DynamoDB Local's launcher) is there, since the
 * install made it. The warm start is the same directory started again.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_BIN = fileURLToPath(new URL("../bin/countersign.mjs", import.meta.url));

/** One start, until its API line. */
export interface StartTime {
  wallMs: number;
  /** CPU of the process tree until the API line; null where /proc is not there to read. */
  cpuMs: number | null;
}

/** Linux reports process times in clock ticks; 100 per second on every common kernel build. */
const TICKS_PER_SECOND = 100;

/** utime + stime of `pid` and its descendants, in ms (Linux /proc); null elsewhere. */
export function treeCpuMs(pid: number): number | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const e of entries) {
    try {
      // The command name may hold spaces and parentheses: fields start after its last ")".
      const text = readFileSync(`/proc/${e}/stat`, "utf8");
      const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(e), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // Gone since the listing.
    }
  }
  if (!stats.has(pid)) return null;
  let ticks = 0;
  const queue = [pid];
  while (queue.length) {
    const p = queue.pop() as number;
    ticks += stats.get(p)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === p) queue.push(child);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Starts the platform on `dataDir` and measures until its API line; then stops it. */
export async function timeStart(
  dataDir: string,
  options: { bin?: string; coldCompile?: boolean; timeoutMs?: number } = {},
): Promise<StartTime> {
  const env = { ...process.env, ...(options.coldCompile ? { TSX_DISABLE_CACHE: "1" } : {}) };
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [options.bin ?? REPO_BIN, "start", "--data-dir", dataDir, "--port", "0"],
    { env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  try {
    return await new Promise<StartTime>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(
        () => reject(new Error(`no API line within ${options.timeoutMs ?? 60_000} ms:\n${out}`)),
        options.timeoutMs ?? 60_000,
      );
      child.stderr?.on("data", (d) => {
        out += d;
      });
      child.stdout?.on("data", (d) => {
        out += d;
        if (!/^\s*API:\s+http/m.test(out)) return;
        const wallMs = performance.now() - t0;
        clearTimeout(timer);
        resolve({ wallMs, cpuMs: treeCpuMs(child.pid as number) });
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`countersign start exited with ${code} before its API line:\n${out}`));
      });
    });
  } finally {
    await stopGroup(child);
  }
}

/** SIGTERM (the platform stops its parts and exits), then SIGKILL for anything left. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-(child.pid as number), "SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  }
  try {
    process.kill(-(child.pid as number), "SIGKILL");
  } catch {
    // The whole group is gone.
  }
}

/** A first start and a warm start on a new data directory, which is removed afterwards. */
export async function firstAndWarm(bin?: string): Promise<{ first: StartTime; warm: StartTime }> {
  const dataDir = mkdtempSync(join(tmpdir(), "countersign-bench-start-"));
  try {
    const first = await timeStart(dataDir, { coldCompile: true, ...(bin ? { bin } : {}) });
    const warm = await timeStart(dataDir, bin ? { bin } : {});
    return { first, warm };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
