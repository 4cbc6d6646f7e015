/**
 * Engine comparison: the same definitions on Countersign in-memory,
 * Countersign durable (SQLite log on) and the peer `aws-local-stepfunctions`, in one process,
 * sides alternating round by round after a warm-up, medians reported with the ratios.
 */
import { isDeepStrictEqual } from "node:util";
import type { Json, StateMachineDefinition } from "../local/asl/types.ts";
import {
  choiceLoop,
  choiceLoopInput,
  mapInput,
  mapOfPass,
  passChain,
  passChainInput,
} from "./definitions.ts";
import { type EngineSide, loadSide, SIDE_NAMES, type SideName } from "./engines.ts";
import { type Figure, unavailable } from "./figures.ts";
import { median, progress, ratePerSecond, rotate, timeMs } from "./stats.ts";

/** Sizes of the comparison; `quick` is for the smoke test. */
export interface EngineBenchOptions {
  /** Measuring window per side and round for the throughput workloads, ms. */
  windowMs: number;
  rounds: number;
  mapItems: number;
  mapRounds: number;
  loopIterations: number;
}

export const FULL_ENGINE_OPTIONS: EngineBenchOptions = {
  windowMs: 700,
  rounds: 5,
  mapItems: 10_000,
  mapRounds: 3,
  loopIterations: 100,
};

export const QUICK_ENGINE_OPTIONS: EngineBenchOptions = {
  windowMs: 30,
  rounds: 2,
  mapItems: 200,
  mapRounds: 1,
  loopIterations: 10,
};

type Runner = (input: Json) => Promise<Json>;

interface Workload {
  key: "passChain" | "choiceLoop" | "map10k";
  definition: StateMachineDefinition;
  input: Json;
}

/** Loads every side; a side that cannot load is reported with its reason instead. */
async function loadSides(): Promise<{ sides: EngineSide[]; missing: Map<SideName, string> }> {
  const sides: EngineSide[] = [];
  const missing = new Map<SideName, string>();
  for (const name of SIDE_NAMES) {
    try {
      sides.push(await loadSide(name));
    } catch (error) {
      missing.set(name, error instanceof Error ? error.message : String(error));
      progress("engine", `${name}: unavailable (${missing.get(name)})`);
    }
  }
  return { sides, missing };
}

/**
 * Prepares the workload on every side and checks each answers what the peer answers (or, without
 * the peer, what the first side answers): a fast wrong engine is not a result.
 */
async function prepareAll(
  sides: EngineSide[],
  workload: Workload,
  missing: Map<SideName, string>,
): Promise<Map<SideName, Runner>> {
  const runners = new Map<SideName, Runner>();
  const outputs = new Map<SideName, Json>();
  for (const side of sides) {
    try {
      const run = await side.prepare(workload.definition);
      outputs.set(side.name, await run(workload.input));
      runners.set(side.name, run);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      missing.set(side.name, `${workload.key} failed: ${reason.slice(0, 200)}`);
      progress("engine", `${side.name}/${workload.key}: ${reason}`);
    }
  }
  const reference = outputs.get("peer") ?? outputs.values().next().value;
  for (const [name, output] of outputs) {
    if (!isDeepStrictEqual(output, reference)) {
      runners.delete(name);
      missing.set(name, `${workload.key}: output differs from the peer's`);
      progress("engine", `${name}/${workload.key}: output differs from the peer's; not timed`);
    }
  }
  return runners;
}

async function throughput(
  workload: Workload,
  runners: Map<SideName, Runner>,
  opts: EngineBenchOptions,
): Promise<Map<SideName, number>> {
  const names = [...runners.keys()];
  // Warm-up: one window per side so the JIT has seen every path before anything counts.
  for (const name of names)
    await ratePerSecond(() => runners.get(name)!(workload.input), opts.windowMs);
  const samples = new Map<SideName, number[]>(names.map((n) => [n, []]));
  for (let round = 0; round < opts.rounds; round++) {
    const order = rotate(names, round);
    const parts: string[] = [];
    for (const name of order) {
      const rate = await ratePerSecond(() => runners.get(name)!(workload.input), opts.windowMs);
      samples.get(name)!.push(rate);
      parts.push(`${name} ${Math.round(rate).toLocaleString("en-US")}/s`);
    }
    progress("engine", `${workload.key} round ${round + 1}/${opts.rounds}: ${parts.join(", ")}`);
  }
  return new Map(names.map((n) => [n, median(samples.get(n)!)]));
}

async function wallTime(
  workload: Workload,
  runners: Map<SideName, Runner>,
  opts: EngineBenchOptions,
): Promise<Map<SideName, number>> {
  const names = [...runners.keys()];
  // prepareAll already ran every side once on the full input: that is the warm-up.
  const samples = new Map<SideName, number[]>(names.map((n) => [n, []]));
  for (let round = 0; round < opts.mapRounds; round++) {
    const parts: string[] = [];
    for (const name of rotate(names, round)) {
      const ms = await timeMs(() => runners.get(name)!(workload.input));
      samples.get(name)!.push(ms);
      parts.push(`${name} ${Math.round(ms)} ms`);
    }
    progress("engine", `${workload.key} round ${round + 1}/${opts.mapRounds}: ${parts.join(", ")}`);
  }
  return new Map(names.map((n) => [n, median(samples.get(n)!)]));
}

function ratio(a: number | undefined, b: number | undefined): number | null {
  return a === undefined || b === undefined || b === 0 ? null : a / b;
}

function ratioFigure(name: string, value: number | null, why: string, min?: number): Figure {
  const target = min === undefined ? undefined : { min };
  if (value === null) return unavailable(name, "×", why, target);
  return target ? { name, value, unit: "×", target } : { name, value, unit: "×" };
}

/** Runs items 1 and 2 and returns their figures (and the ratios against the peer). */
export async function runEngineBench(opts: EngineBenchOptions): Promise<Figure[]> {
  const { sides, missing } = await loadSides();
  const figures: Figure[] = [];
  try {
    const workloads: Workload[] = [
      { key: "passChain", definition: passChain(10), input: passChainInput },
      {
        key: "choiceLoop",
        definition: choiceLoop(),
        input: choiceLoopInput(opts.loopIterations),
      },
      { key: "map10k", definition: mapOfPass(), input: mapInput(opts.mapItems) },
    ];
    for (const workload of workloads) {
      const runners = await prepareAll(sides, workload, missing);
      const isMap = workload.key === "map10k";
      const values = isMap
        ? await wallTime(workload, runners, opts)
        : await throughput(workload, runners, opts);
      const metric = isMap ? "ms" : "execPerSec";
      const unit = isMap ? "ms" : "exec/s";
      for (const name of SIDE_NAMES) {
        const figureName = `engine.${workload.key}.${metric}.${name}`;
        const value = values.get(name);
        figures.push(
          value === undefined
            ? unavailable(figureName, unit, missing.get(name) ?? "not run")
            : { name: figureName, value, unit },
        );
      }
      const why = (side: SideName) =>
        missing.get(side) ?? missing.get("peer") ?? "a side is missing";
      if (isMap) {
        // "x times faster": peer wall time over ours.
        figures.push(
          ratioFigure(
            `engine.${workload.key}.speedup.memoryVsPeer`,
            ratio(values.get("peer"), values.get("memory")),
            why("memory"),
            5,
          ),
          ratioFigure(
            `engine.${workload.key}.speedup.durableVsPeer`,
            ratio(values.get("peer"), values.get("durable")),
            why("durable"),
          ),
        );
      } else {
        figures.push(
          ratioFigure(
            `engine.${workload.key}.ratio.durableVsPeer`,
            ratio(values.get("durable"), values.get("peer")),
            why("durable"),
            3,
          ),
          ratioFigure(
            `engine.${workload.key}.ratio.memoryVsPeer`,
            ratio(values.get("memory"), values.get("peer")),
            why("memory"),
            10,
          ),
        );
      }
    }
  } finally {
    for (const side of sides) await side.close();
  }
  return figures;
}
