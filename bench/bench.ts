/**
 * Runs the benchmark's sections one after another, each in a fresh child process (two cores are
 * too few to run them side by side without skewing each other), and gathers their figures.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem, type } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Figure, type Results, toResults } from "./figures.ts";
import { completeFigures, SECTIONS, type SectionId, type SectionSpec } from "./sections.ts";
import { progress } from "./stats.ts";

export interface BenchOptions {
  /** Tiny sizes, for the smoke test: checks the plumbing, measures nothing worth quoting. */
  quick?: boolean;
  /** Run only these sections (default: all but those run on request). */
  only?: SectionId[];
  /** Also run the sections run on request (`--scale`). */
  scale?: boolean;
}

export interface BenchRun {
  figures: Figure[];
  results: Results;
}

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));

/** A one-line description of this machine for `results.json`. */
export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? "unknown CPU";
  const gb = Math.round(totalmem() / 2 ** 30);
  return `${model}, ${cores.length} cores, ${gb} GB RAM, ${type()} ${release()}`;
}

interface ChildOutcome {
  figures: Figure[];
  /** Set when the child failed; the reason for any figure it did not report. */
  failure?: string;
}

/** Runs one section in a child process, forwarding its progress to stderr. */
function runChild(spec: SectionSpec, quick: boolean): Promise<ChildOutcome> {
  const dir = mkdtempSync(join(tmpdir(), `countersign-bench-${spec.id}-`));
  const out = join(dir, "figures.json");
  const args = ["--import", "tsx", CHILD, spec.id, out, ...(quick ? ["--quick"] : [])];
  const timeoutMs = quick ? spec.quickTimeoutMs : spec.timeoutMs;
  return new Promise((resolve) => {
    // Its own process group, so a timeout also ends what it started (e.g. DynamoDB Local's JVM).
    const child = spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env: {
        // Handlers log every step at INFO: thousands of lines that would bury the progress.
        POWERTOOLS_LOG_LEVEL: "WARN",
        // The AWS SDK's multi-line notice about Node 20 support, once per child.
        NODE_NO_WARNINGS: "1",
        ...process.env,
        BENCH_SECTION: spec.id,
      },
    });
    let tail = "";
    const forward = (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString("utf8")).slice(-2_000);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // The group is already gone: nothing was left behind.
      }
      let figures: Figure[] = [];
      try {
        figures = JSON.parse(readFileSync(out, "utf8")) as Figure[];
      } catch {
        // No figures: the failure below says why.
      }
      rmSync(dir, { recursive: true, force: true });
      if (timedOut) {
        resolve({ figures, failure: `section exceeded its ${timeoutMs / 1000} s budget` });
      } else if (code !== 0) {
        const lines = tail.trim().split("\n");
        const lastLine =
          lines.filter((l) => /^\s*[A-Za-z]*Error\b/.test(l)).pop() ??
          lines.filter((l) => !l.startsWith("[bench") && !l.startsWith("Node.js")).pop() ??
          "";
        resolve({
          figures,
          failure: `section failed (${signal ?? `exit ${code}`}): ${lastLine.slice(0, 160)}`,
        });
      } else {
        resolve({ figures });
      }
    });
  });
}

/** Runs the selected sections and returns every figure and the `results.json` content. */
export async function runBench(options: BenchOptions = {}): Promise<BenchRun> {
  const quick = options.quick ?? false;
  const started = performance.now();
  const loadAverage = Math.round(loadavg()[0]! * 100) / 100;
  const specs = SECTIONS.filter((s) =>
    options.only
      ? options.only.includes(s.id) || (s.onRequest && options.scale)
      : !s.onRequest || options.scale,
  );
  const figures: Figure[] = [];
  let scaleRun: Results["scaleRun"];
  for (const spec of specs) {
    const t0 = performance.now();
    progress(spec.id, `start: ${spec.title}${quick ? " (quick)" : ""}`);
    const outcome = await runChild(spec, quick);
    figures.push(
      ...completeFigures(spec, outcome.figures, outcome.failure ?? "the section did not report it"),
    );
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    progress(spec.id, `done in ${secs} s${outcome.failure ? `: ${outcome.failure}` : ""}`);
    if (spec.id === "scale") {
      scaleRun = { date: new Date().toISOString(), durationSec: Math.round(Number(secs)) };
    }
  }
  const durationSec = Math.round((performance.now() - started) / 100) / 10;
  const results = toResults(figures, {
    machine: describeMachine(),
    node: process.version,
    date: new Date().toISOString(),
    durationSec,
    loadAverage,
    ...(quick ? { quick } : {}),
    ...(scaleRun ? { scaleRun } : {}),
  });
  return { figures, results };
}
