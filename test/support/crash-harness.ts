/**
 * The crash tests' harness: a worker process (`node --import tsx <worker> <mode> <dir> ...`) is
 * run to its end, or run until it says READY and then SIGKILLed, and a new one is started on the
 * same data directory. Both halves live here:
 * - the test's: `runToEnd` and `killWhenReady` spawn the worker and collect what it prints, and
 *   `straightAndResumed` is the whole compare-with-an-uninterrupted-run loop;
 * - the worker's: `workerArgs`, `crashClock`, `readyThenWaitForKill`, `waitUntil`,
 *   `readJsonLines` and `executionSummaries`.
 * A worker prints its results as one line of JSON on stdout; stderr is kept for the error when a
 * worker fails, so a crash test that breaks says why.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type SfnRuntime, VirtualClock } from "../../local/sfn/index.ts";

const READY = "READY";

interface Spawned {
  child: ChildProcess;
  /** Everything the worker has printed on stdout so far. */
  stdout(): string;
  /** Resolves with the exit code (or the signal's name) and stderr once the worker has exited. */
  exited: Promise<{ code: number | string; stderr: string }>;
}

function spawnWorker(worker: string, args: string[]): Spawned {
  const child = spawn(process.execPath, ["--import", "tsx", worker, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | string; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code: code ?? signal ?? "?", stderr: err })),
  );
  return { child, stdout: () => out, exited };
}

function failure(worker: string, args: string[], code: number | string, stderr: string): Error {
  return new Error(`${basename(worker)} ${args[0]} exited with ${code}: ${stderr}`);
}

/** Runs the worker until it exits; resolves with its stdout, rejects unless it exits 0. */
export async function runToEnd(worker: string, args: string[]): Promise<string> {
  const w = spawnWorker(worker, args);
  const { code, stderr } = await w.exited;
  if (code !== 0) throw failure(worker, args, code, stderr);
  return w.stdout();
}

/**
 * Runs the worker until it prints its READY line, then SIGKILLs it and waits until it is gone, so
 * the next worker opens a data directory no live process holds. Resolves with what followed
 * READY on that line; rejects if the worker exits before it is ready.
 */
export async function killWhenReady(worker: string, args: string[]): Promise<string> {
  const w = spawnWorker(worker, args);
  const readyLine = new Promise<string>((resolve) => {
    w.child.stdout?.on("data", () => {
      const line = w
        .stdout()
        .split("\n")
        .slice(0, -1) // only whole lines
        .find((l) => l.startsWith(READY));
      if (line !== undefined) resolve(line.slice(READY.length).trim());
    });
  });
  const early = w.exited.then(({ code, stderr }) => {
    throw failure(worker, args, code, stderr);
  });
  const rest = await Promise.race([readyLine, early]);
  early.catch(() => {}); // the kill below makes it reject; nobody waits on it any more
  w.child.kill("SIGKILL");
  await w.exited;
  return rest;
}

/**
 * The loop of a crash test that compares with an uninterrupted run: a `straight` worker (the same
 * workload, no crash) runs beside a `start` worker, which is SIGKILLed at READY; then a `resume`
 * worker reopens the killed one's data directory. Each has a temporary directory, removed after.
 * Resolves with the JSON the straight and the resume workers printed.
 */
export async function straightAndResumed<T>(worker: string): Promise<{ straight: T; resumed: T }> {
  const name = basename(worker, ".ts");
  const straightDir = mkdtempSync(join(tmpdir(), `${name}-straight-`));
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-data-`));
  try {
    const [straight] = await Promise.all([
      runToEnd(worker, ["straight", straightDir]),
      killWhenReady(worker, ["start", dataDir]),
    ]);
    const resumed = await runToEnd(worker, ["resume", dataDir]);
    return { straight: JSON.parse(straight) as T, resumed: JSON.parse(resumed) as T };
  } finally {
    rmSync(straightDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- The worker's half ----

/** The worker's command line, `<mode> <dataDir> [rest...]`; an unknown mode stops it. */
export function workerArgs<M extends string>(
  modes: readonly M[],
): { mode: M; dataDir: string; rest: string[] } {
  const [mode = "", dataDir = "", ...rest] = process.argv.slice(2);
  if (!(modes as readonly string[]).includes(mode)) {
    throw new Error(`unknown mode "${mode}": expected one of ${modes.join(", ")}`);
  }
  return { mode: mode as M, dataDir, rest };
}

/** When a worker's virtual clock starts, so that every run (and the straight one) compares. */
export const T0 = Date.UTC(2025, 5, 1);

/** A virtual clock at T0; a resumed worker's starts 5 s later, as if the restart took that long. */
export function crashClock(mode: string): VirtualClock {
  return new VirtualClock(mode === "resume" ? T0 + 5_000 : T0);
}

/**
 * Prints the READY line (with `detail` after it, for the test to read) and keeps the process alive
 * until the test SIGKILLs it.
 */
export function readyThenWaitForKill(detail?: string): void {
  process.stdout.write(detail === undefined ? `${READY}\n` : `${READY} ${detail}\n`);
  setInterval(() => {}, 1000);
}

/** Polls `ready` every 20 ms (real time: the worker's work runs meanwhile) until it is true. */
export async function waitUntil(ready: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await ready())) await sleep(20);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The values of a JSON Lines file a worker appends to as it goes; it survives the kill, so the
 * next worker (and the test, through it) can see what the killed one did. Missing file: none.
 */
export function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "utf8").trim();
  return text === "" ? [] : text.split("\n").map((line) => JSON.parse(line) as T);
}

type Description = ReturnType<SfnRuntime["describeExecution"]>;

/**
 * Every execution's status, output and history (event types and ids, to compare with an
 * uninterrupted run's), by name, plus what `more` takes from its description.
 */
export function executionSummaries(
  runtime: SfnRuntime,
  more: (d: Description) => Record<string, unknown>,
): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  const list = runtime.listExecutions({ maxResults: 1000 }).executions as Array<{
    executionArn: string;
    name: string;
  }>;
  for (const e of list) {
    const d = runtime.describeExecution({ executionArn: e.executionArn });
    const history = runtime.getExecutionHistory({ executionArn: e.executionArn, maxResults: 1000 });
    results[e.name] = {
      status: d.status,
      output: d.output ?? null,
      ...more(d),
      types: history.events.map((h) => h.type),
      ids: history.events.map((h) => h.id),
    };
  }
  return results;
}
