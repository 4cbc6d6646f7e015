/**
 * Runs the real `countersign` CLI as a child process, the way a developer does, and waits for
 * what it prints. Used by the platform and CLI tests.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = join(ROOT, "bin", "countersign.mjs");
/** The demo catalogue, a catalogue file like any other (`start` imports it unless --no-demo). */
export const DEMO_CATALOGUE = join(ROOT, "local", "platform", "demo-catalogue.csv");

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), "countersign-test-"));
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  api: string;
  demoLink?: string;
}

/** Spawns `countersign start` (or `npm start --`) and resolves once it prints "Press Ctrl-C". */
export function startPlatform(
  args: string[],
  options: { viaNpm?: boolean; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Started> {
  // Its own process group, so `stop` reaches npm's `sh -c node …` grandchild too: npm does not
  // pass SIGTERM on, and a platform left running would load every test after it.
  const child = options.viaNpm
    ? spawn("npm", ["start", "--silent", "--", ...args], {
        cwd: ROOT,
        env: options.env ?? process.env,
        detached: true,
      })
    : spawn(process.execPath, [BIN, "start", ...args], {
        cwd: ROOT,
        env: options.env ?? process.env,
        detached: true,
      });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`platform did not start in time:\n${out}`)),
      options.timeoutMs ?? 90_000,
    );
    const check = () => {
      if (!out.includes("Press Ctrl-C")) return;
      clearTimeout(timer);
      const api = /^\s*API:\s+(http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)?.[1];
      if (!api) return reject(new Error(`no API line in:\n${out}`));
      const demoLink = /(http:\/\/127\.0\.0\.1:\d+\/approvals\/\S+)/.exec(out)?.[1];
      resolve({ child, output: () => out, api, ...(demoLink ? { demoLink } : {}) });
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`platform exited with ${code} before it was ready:\n${out}`));
    });
  });
}

/** Stops a started platform and waits for it to exit. */
export async function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    child.kill(signal);
  }
  await exited;
  // `npm start` exits before its node grandchild has shut down: wait for the whole group, so a
  // platform still stopping does not load (or hold the data directory of) the test after it.
  for (let waited = 0; waited < 30_000 && groupAlive(child.pid as number); waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs a CLI command to completion. */
export function cli(args: string[], env?: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: env ?? process.env,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a CLI command without blocking the test's event loop (the platform's output keeps flowing). */
export function cliAsync(
  args: string[],
  env?: NodeJS.ProcessEnv,
  cwd: string = ROOT,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Imports the demo catalogue into a platform started with --no-demo (its table starts empty). */
export async function importDemoCatalogue(dataDir: string): Promise<void> {
  const r = await cliAsync(["catalogue", "import", DEMO_CATALOGUE, "--data-dir", dataDir]);
  if (r.code !== 0) throw new Error(`catalogue import failed: ${r.stderr}`);
}

/** Polls `fn` until it returns a truthy value (real time: the platform is a separate process). */
export async function eventually<T>(
  fn: () => Promise<T> | T,
  timeoutMs = 30_000,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}
