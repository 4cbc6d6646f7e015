/**
 * What the engine comparison measures: the workloads, which sides run each and with how many
 * executions in flight, and the ratios reported (wall clock and per CPU-second, the target on the
 * latter). The section's expected figures and the comparison itself both read this table, so the
 * two cannot drift.
 */
import type { Json, StateMachineDefinition } from "../local/asl/types.ts";
import {
  choiceLoop,
  choiceLoopInput,
  lambdaChain,
  mapInput,
  mapOfPass,
  passChain,
  passChainInput,
  TASK_TOKEN_OUTPUT,
  taskToken,
} from "./definitions.ts";
import type { Target } from "./figures.ts";

export const WORKLOAD_KEYS = [
  "passChain",
  "lambdaChain",
  "taskToken",
  "choiceLoop",
  "map10k",
] as const;
export type WorkloadKey = (typeof WORKLOAD_KEYS)[number];

/** The engines: `memory` = `runToCompletion`, `durable` = the runtime on SQLite, `peer` = npm. */
export const SIDE_NAMES = ["memory", "durable", "peer"] as const;
export type SideName = (typeof SIDE_NAMES)[number];

/** One side of a workload, with `inFlight` executions running at a time. */
export interface RunSpec {
  side: SideName;
  inFlight: number;
}

/** A ratio between two runs of a workload: how many times more executions `a` does than `b`. */
export interface RatioSpec {
  a: string;
  b: string;
  /** The target, on the ratio per CPU-second (the wall-clock ratio is shown beside it). */
  cpuMin?: number;
}

export interface WorkloadPlan {
  key: WorkloadKey;
  /** `throughput`: back-to-back executions per window; `once`: one big execution per round. */
  kind: "throughput" | "once";
  title: string;
  runs: RunSpec[];
  ratios: RatioSpec[];
  /** Why a side does not run this workload (shown in the notes). */
  absent?: Partial<Record<SideName, string>>;
}

/** A run's label in figure names: `durable`, `durable50`, `peer50`, ... */
export function runLabel(run: RunSpec): string {
  return run.inFlight === 1 ? run.side : `${run.side}${run.inFlight}`;
}

const IN_FLIGHT = 50;

export const ENGINE_PLAN: readonly WorkloadPlan[] = [
  {
    key: "passChain",
    kind: "throughput",
    title: "10 Pass states",
    runs: [
      { side: "memory", inFlight: 1 },
      { side: "durable", inFlight: 1 },
      { side: "durable", inFlight: IN_FLIGHT },
      { side: "peer", inFlight: 1 },
      { side: "peer", inFlight: IN_FLIGHT },
    ],
    ratios: [
      { a: "memory", b: "peer", cpuMin: 15 },
      { a: "durable", b: "peer" },
      { a: `durable${IN_FLIGHT}`, b: `peer${IN_FLIGHT}`, cpuMin: 2 },
    ],
  },
  {
    key: "lambdaChain",
    kind: "throughput",
    title: "10 Lambda tasks, in-process handlers",
    runs: [
      { side: "memory", inFlight: 1 },
      { side: "durable", inFlight: 1 },
      { side: "durable", inFlight: IN_FLIGHT },
      { side: "peer", inFlight: 1 },
      { side: "peer", inFlight: IN_FLIGHT },
    ],
    ratios: [
      { a: "memory", b: "peer" },
      { a: "durable", b: "peer" },
      { a: `durable${IN_FLIGHT}`, b: `peer${IN_FLIGHT}`, cpuMin: 3 },
    ],
  },
  {
    key: "taskToken",
    kind: "throughput",
    title: "a .waitForTaskToken task answered by SendTaskSuccess",
    runs: [
      { side: "durable", inFlight: 1 },
      { side: "durable", inFlight: IN_FLIGHT },
    ],
    ratios: [],
    absent: {
      peer: "the peer has no task tokens (no SendTaskSuccess)",
      memory: "runToCompletion answers tasks through its invoker, not task tokens",
    },
  },
  {
    key: "choiceLoop",
    kind: "throughput",
    title: "100 turns of a Choice/Pass loop",
    runs: [
      { side: "memory", inFlight: 1 },
      { side: "durable", inFlight: 1 },
      { side: "peer", inFlight: 1 },
    ],
    ratios: [
      { a: "memory", b: "peer", cpuMin: 10 },
      { a: "durable", b: "peer", cpuMin: 3 },
    ],
  },
  {
    key: "map10k",
    kind: "once",
    title: "an inline Map over 10,000 items",
    // Not durable: the durable side keeps AWS's history, and AWS caps a Standard execution's at
    // 25,000 events, which an inline Map of 10,000 items exceeds there as here (it fails with
    // States.Runtime). AWS's answer for that size is a Distributed Map (the `dmap` section).
    runs: [
      { side: "memory", inFlight: 1 },
      { side: "peer", inFlight: 1 },
    ],
    ratios: [{ a: "memory", b: "peer", cpuMin: 5 }],
  },
];

/** `durable50VsPeer50`: the ratio's part of a figure name. */
export function ratioName(r: RatioSpec): string {
  return `${r.a}Vs${r.b.charAt(0).toUpperCase()}${r.b.slice(1)}`;
}

/** A figure's name, unit and target, before it is measured. */
export interface PlannedFigure {
  name: string;
  unit: string;
  target?: Target;
}

/** Every figure the engine section reports, in table order. */
export function plannedFigures(): PlannedFigure[] {
  const out: PlannedFigure[] = [];
  for (const w of ENGINE_PLAN) {
    const once = w.kind === "once";
    for (const run of w.runs) {
      const label = runLabel(run);
      out.push(
        once
          ? { name: `engine.${w.key}.ms.${label}`, unit: "ms" }
          : { name: `engine.${w.key}.execPerSec.${label}`, unit: "exec/s" },
        once
          ? { name: `engine.${w.key}.cpuMs.${label}`, unit: "CPU ms" }
          : { name: `engine.${w.key}.cpuSecPer1k.${label}`, unit: "CPU s/1k" },
      );
    }
    for (const r of w.ratios) {
      const pair = ratioName(r);
      out.push({ name: `engine.${w.key}.ratio.${pair}`, unit: "×" });
      out.push({
        name: `engine.${w.key}.cpuRatio.${pair}`,
        unit: "×",
        ...(r.cpuMin !== undefined ? { target: { min: r.cpuMin } } : {}),
      });
    }
  }
  return out;
}

/** Sizes of a workload's input (smaller in the smoke test). */
export interface WorkloadSizes {
  loopIterations: number;
  mapItems: number;
}

/** A workload as a side runs it. */
export interface WorkloadInput {
  definition: StateMachineDefinition;
  input: Json;
  /** What the execution must answer when the peer does not run it. */
  expected?: Json;
}

/** The definition and input of a workload, the same on every side. */
export function workloadInput(key: WorkloadKey, sizes: WorkloadSizes): WorkloadInput {
  switch (key) {
    case "passChain":
      return { definition: passChain(10), input: passChainInput };
    case "lambdaChain":
      return { definition: lambdaChain(10), input: passChainInput };
    case "taskToken":
      return { definition: taskToken(), input: { id: 0 }, expected: TASK_TOKEN_OUTPUT };
    case "choiceLoop":
      return { definition: choiceLoop(), input: choiceLoopInput(sizes.loopIterations) };
    case "map10k":
      return { definition: mapOfPass(), input: mapInput(sizes.mapItems) };
  }
}
