/**
 * Engine comparison: the same definitions on Countersign in memory (`runToCompletion`),
 * Countersign durable (the runtime on SQLite, history kept) and the peer `aws-local-stepfunctions`,
 * each side in its own process (`engine-worker.ts`). Every side's output is checked against the
 * peer's first (a fast wrong engine is not a result); then one warm-up window per run and rounds
 * with the runs in rotated order. Each figure reports wall-clock throughput and CPU time per
 * execution (`process.cpuUsage` of the side's process); ratios are given both ways, the targets
 * on the ratio per CPU-second, which the machine's other load skews least.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import type { Json } from "../local/asl/types.ts";
import {
  ENGINE_PLAN,
  plannedFigures,
  type RunSpec,
  ratioName,
  runLabel,
  SIDE_NAMES,
  type SideName,
  type WorkloadPlan,
  type WorkloadSizes,
  workloadInput,
} from "./engine-plan.ts";
import type { WindowResult, WorkerReply, WorkerRequest } from "./engine-worker.ts";
import { type Figure, unavailable } from "./figures.ts";
import { median, progress, rotate } from "./stats.ts";

/** Sizes of the comparison; `quick` is for the smoke test. */
export interface EngineBenchOptions extends WorkloadSizes {
  /** Measuring window per run and round for the throughput workloads, ms. */
  windowMs: number;
  rounds: number;
  /** Rounds of the one-big-execution workload (Map). */
  onceRounds: number;
}

export const FULL_ENGINE_OPTIONS: EngineBenchOptions = {
  windowMs: 700,
  rounds: 5,
  onceRounds: 3,
  mapItems: 10_000,
  loopIterations: 100,
};

export const QUICK_ENGINE_OPTIONS: EngineBenchOptions = {
  windowMs: 30,
  rounds: 2,
  onceRounds: 1,
  mapItems: 200,
  loopIterations: 10,
};

const WORKER = fileURLToPath(new URL("./engine-worker.ts", import.meta.url));

/** A request without its id (the worker handle numbers them). */
type Request = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, "id"> : never) : never;
type Ask = (request: Request) => Promise<WorkerReply>;

/** A side's process and a way to ask it something. */
interface Worker {
  child: ChildProcess;
  ask: Ask;
  /** Set when the side did not load: the reason for its figures. */
  failure?: string;
}

function startWorker(side: SideName): Promise<Worker> {
  const child = fork(WORKER, [side], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, (reply: WorkerReply) => void>();
  let ids = 0;
  let exited: string | undefined;
  child.on("message", (reply: WorkerReply) => {
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  child.on("exit", (code, signal) => {
    exited = `the ${side} process ended (${signal ?? `exit ${code}`})`;
    for (const [id, resolve] of pending) resolve({ id, ok: false, error: exited });
    pending.clear();
  });
  const ask: Ask = (request) =>
    new Promise((resolve) => {
      if (exited) return resolve({ id: -1, ok: false, error: exited });
      const id = ++ids;
      pending.set(id, resolve);
      child.send({ ...request, id } as WorkerRequest);
    });
  return new Promise((resolve) => {
    pending.set(0, (reply) =>
      resolve({ child, ask, ...(reply.ok ? {} : { failure: reply.error }) }),
    );
  });
}

/** Per run label: the windows measured, or why there are none. */
interface Samples {
  windows: WindowResult[];
  failure?: string;
}

/** Prepares a workload on each of its sides and checks every output against the peer's. */
async function prepare(
  plan: WorkloadPlan,
  workers: Map<SideName, Worker>,
  sizes: WorkloadSizes,
): Promise<Map<SideName, string | undefined>> {
  const failures = new Map<SideName, string | undefined>();
  const outputs = new Map<SideName, Json>();
  const sides = [...new Set(plan.runs.map((r) => r.side))];
  for (const side of sides) {
    const worker = workers.get(side)!;
    if (worker.failure) {
      failures.set(side, worker.failure);
      continue;
    }
    const reply = await worker.ask({ type: "prepare", workload: plan.key, sizes });
    if (!reply.ok) {
      failures.set(side, `${plan.key} failed: ${reply.error}`);
      progress("engine", `${side}/${plan.key}: ${reply.error}`);
      continue;
    }
    outputs.set(side, reply.output as Json);
    failures.set(side, undefined);
  }
  const expected = workloadInput(plan.key, sizes).expected;
  const reference = expected !== undefined ? expected : outputs.get("peer");
  const referenceName = expected !== undefined ? "the expected output" : "the peer's";
  if (reference === undefined) {
    for (const side of sides) {
      if (side !== "peer" && !failures.get(side)) {
        failures.set(side, `not compared: the peer did not run (${failures.get("peer")})`);
      }
    }
    return failures;
  }
  for (const [side, output] of outputs) {
    if (!isDeepStrictEqual(output, reference)) {
      failures.set(side, `${plan.key}: output differs from ${referenceName}`);
      progress(
        "engine",
        `${side}/${plan.key}: output differs from ${referenceName}; not timed: ${JSON.stringify(output).slice(0, 200)}`,
      );
    }
  }
  return failures;
}

async function measure(
  plan: WorkloadPlan,
  workers: Map<SideName, Worker>,
  opts: EngineBenchOptions,
): Promise<Map<string, Samples>> {
  const failures = await prepare(plan, workers, opts);
  const samples = new Map<string, Samples>();
  const runs: RunSpec[] = [];
  for (const run of plan.runs) {
    const failure = failures.get(run.side);
    if (failure) samples.set(runLabel(run), { windows: [], failure });
    else {
      samples.set(runLabel(run), { windows: [] });
      runs.push(run);
    }
  }
  const once = plan.kind === "once";
  const window = (run: RunSpec) =>
    workers.get(run.side)!.ask({
      type: "measure",
      inFlight: run.inFlight,
      windowMs: once ? 0 : opts.windowMs,
      minRuns: once ? 1 : run.inFlight,
    });
  // Warm-up (throughput only; `prepare` ran the big execution once already): one window per run
  // so the JIT has seen every path before anything counts.
  if (!once) for (const run of runs) await window(run);
  const rounds = once ? opts.onceRounds : opts.rounds;
  for (let round = 0; round < rounds; round++) {
    const parts: string[] = [];
    for (const run of rotate(runs, round)) {
      const label = runLabel(run);
      const s = samples.get(label)!;
      if (s.failure) continue;
      const reply = await window(run);
      if (!reply.ok || !reply.window) {
        s.failure = `${plan.key} failed: ${reply.ok ? "no window" : reply.error}`;
        progress("engine", `${label}/${plan.key}: ${s.failure}`);
        continue;
      }
      const w = reply.window;
      s.windows.push(w);
      parts.push(
        once
          ? `${label} ${Math.round(w.wallMs / w.runs)} ms (${Math.round(w.cpuMs / w.runs)} CPU)`
          : `${label} ${Math.round((w.runs * 1000) / w.wallMs).toLocaleString("en-US")}/s (${(w.cpuMs / w.runs).toFixed(3)} CPU ms)`,
      );
    }
    progress("engine", `${plan.key} round ${round + 1}/${rounds}: ${parts.join(", ")}`);
  }
  return samples;
}

/** Medians of a run: wall ms per execution and CPU ms per execution. */
function perExecution(s: Samples | undefined): { wallMs: number; cpuMs: number } | undefined {
  if (!s || s.failure || s.windows.length === 0) return undefined;
  return {
    wallMs: median(s.windows.map((w) => w.wallMs / w.runs)),
    cpuMs: median(s.windows.map((w) => w.cpuMs / w.runs)),
  };
}

function figuresOf(plan: WorkloadPlan, samples: Map<string, Samples>): Figure[] {
  const byName = new Map<string, Figure>();
  const once = plan.kind === "once";
  const reasonOf = (label: string) => samples.get(label)?.failure ?? "not run";
  for (const run of plan.runs) {
    const label = runLabel(run);
    const m = perExecution(samples.get(label));
    const wallName = once
      ? `engine.${plan.key}.ms.${label}`
      : `engine.${plan.key}.execPerSec.${label}`;
    const cpuName = once
      ? `engine.${plan.key}.cpuMs.${label}`
      : `engine.${plan.key}.cpuSecPer1k.${label}`;
    // CPU ms per execution is CPU seconds per 1,000 executions.
    byName.set(
      wallName,
      m
        ? { name: wallName, value: once ? m.wallMs : 1000 / m.wallMs, unit: "" }
        : unavailable(wallName, "", reasonOf(label)),
    );
    byName.set(
      cpuName,
      m ? { name: cpuName, value: m.cpuMs, unit: "" } : unavailable(cpuName, "", reasonOf(label)),
    );
  }
  for (const r of plan.ratios) {
    const a = perExecution(samples.get(r.a));
    const b = perExecution(samples.get(r.b));
    const why = samples.get(r.a)?.failure ?? samples.get(r.b)?.failure ?? "a side is missing";
    const pair = ratioName(r);
    for (const [kind, value] of [
      ["ratio", a && b ? b.wallMs / a.wallMs : null],
      ["cpuRatio", a && b ? b.cpuMs / a.cpuMs : null],
    ] as const) {
      const name = `engine.${plan.key}.${kind}.${pair}`;
      byName.set(name, value === null ? unavailable(name, "×", why) : { name, value, unit: "×" });
    }
  }
  return [...byName.values()];
}

/** Runs the comparison and returns its figures (units and targets come from the plan). */
export async function runEngineBench(opts: EngineBenchOptions): Promise<Figure[]> {
  const workers = new Map<SideName, Worker>();
  for (const side of SIDE_NAMES) {
    const worker = await startWorker(side);
    if (worker.failure) progress("engine", `${side}: unavailable (${worker.failure})`);
    workers.set(side, worker);
  }
  const figures: Figure[] = [];
  try {
    for (const plan of ENGINE_PLAN) {
      progress("engine", `${plan.key}: ${plan.title}`);
      figures.push(...figuresOf(plan, await measure(plan, workers, opts)));
    }
  } finally {
    for (const worker of workers.values()) {
      await worker.ask({ type: "close" });
      worker.child.kill();
    }
  }
  const units = new Map(plannedFigures().map((f) => [f.name, f.unit]));
  return figures.map((f) => ({ ...f, unit: units.get(f.name) ?? f.unit }));
}
