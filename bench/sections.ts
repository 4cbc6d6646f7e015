/**
 * The benchmark's sections, each run in its own child process (so resident memory and cold starts
 * are measured in isolation and one section's crash cannot take the others down), with a time
 * budget that keeps the whole run under five minutes on a 2-core machine. Every section lists the
 * figures it owes, so a section that fails still yields a row saying why.
 */
import { SIDE_NAMES } from "./engines.ts";
import type { Figure, Target } from "./figures.ts";

export type SectionId =
  | "engine"
  | "saga"
  | "approval"
  | "waiting10k"
  | "history25k"
  | "api"
  | "start";

export interface ExpectedFigure {
  name: string;
  unit: string;
  target?: Target;
}

export interface SectionSpec {
  id: SectionId;
  title: string;
  /** Hard limit for the child process, full run / quick run, ms. */
  timeoutMs: number;
  quickTimeoutMs: number;
  expected: ExpectedFigure[];
}

function engineExpected(): ExpectedFigure[] {
  const out: ExpectedFigure[] = [];
  for (const workload of ["passChain", "choiceLoop"]) {
    for (const side of SIDE_NAMES) {
      out.push({ name: `engine.${workload}.execPerSec.${side}`, unit: "exec/s" });
    }
    out.push(
      { name: `engine.${workload}.ratio.durableVsPeer`, unit: "×", target: { min: 3 } },
      { name: `engine.${workload}.ratio.memoryVsPeer`, unit: "×", target: { min: 10 } },
    );
  }
  for (const side of SIDE_NAMES) out.push({ name: `engine.map10k.ms.${side}`, unit: "ms" });
  out.push(
    { name: "engine.map10k.speedup.memoryVsPeer", unit: "×", target: { min: 5 } },
    { name: "engine.map10k.speedup.durableVsPeer", unit: "×" },
  );
  return out;
}

export const SECTIONS: readonly SectionSpec[] = [
  {
    id: "engine",
    title: "engine comparison (Pass chain, Choice loop, Map of 10,000)",
    timeoutMs: 120_000,
    quickTimeoutMs: 60_000,
    expected: engineExpected(),
  },
  {
    id: "saga",
    title: "order saga (50 in flight) and its AWS cost",
    timeoutMs: 90_000,
    quickTimeoutMs: 90_000,
    expected: [
      { name: "saga.ordersPerMin", unit: "orders/min", target: { min: 1_000 } },
      { name: "saga.latencyMs.p50", unit: "ms" },
      { name: "saga.latencyMs.p99", unit: "ms" },
      { name: "saga.transitionsHappyPath", unit: "transitions", target: { max: 15 } },
      { name: "saga.lambdaRequestsHappyPath", unit: "requests" },
      { name: "saga.awsUsdPerMillionOrders", unit: "USD" },
      { name: "saga.awsUsdPerMillionOrders.withLambdaDuration", unit: "USD" },
    ],
  },
  {
    id: "approval",
    title: "approval click to execution resumed (HTTP API)",
    timeoutMs: 100_000,
    quickTimeoutMs: 90_000,
    expected: [
      { name: "approval.resumeMs.p50", unit: "ms" },
      { name: "approval.resumeMs.p99", unit: "ms", target: { max: 50 } },
    ],
  },
  {
    id: "waiting10k",
    title: "10,000 executions waiting on a task token",
    timeoutMs: 90_000,
    quickTimeoutMs: 45_000,
    expected: [
      { name: "waiting10k.rssMB", unit: "MB", target: { max: 300 } },
      { name: "waiting10k.resumePerSec", unit: "exec/s" },
    ],
  },
  {
    id: "history25k",
    title: "a 25,000-event history read 6 times over HTTP while other calls are timed",
    timeoutMs: 60_000,
    quickTimeoutMs: 45_000,
    expected: [
      { name: "history25k.events", unit: "events" },
      { name: "history25k.otherCallMs.max", unit: "ms", target: { max: 100 } },
      { name: "history25k.otherCallMs.p99", unit: "ms" },
      { name: "history25k.eventLoopBlockMs.max", unit: "ms" },
      { name: "history25k.withoutReads.otherCallMs.max", unit: "ms" },
      { name: "history25k.withoutReads.eventLoopBlockMs.max", unit: "ms" },
      { name: "history25k.rssMB", unit: "MB", target: { max: 300 } },
      { name: "history25k.readAllMs", unit: "ms" },
    ],
  },
  {
    id: "api",
    title: "approval API Lambda bundle",
    timeoutMs: 45_000,
    quickTimeoutMs: 45_000,
    expected: [
      { name: "api.bundleKB", unit: "KB", target: { max: 250 } },
      { name: "api.coldImportMs", unit: "ms" },
    ],
  },
  {
    id: "start",
    title: "npm start: time to the API line, first start and warm start",
    timeoutMs: 150_000,
    quickTimeoutMs: 90_000,
    expected: [
      { name: "start.firstMs", unit: "ms", target: { max: 8_000 } },
      { name: "start.firstCpuMs", unit: "ms" },
      { name: "start.warmMs", unit: "ms" },
      { name: "start.warmCpuMs", unit: "ms" },
    ],
  },
];

/**
 * Completes a section's figures: targets come from the spec, and every expected figure the
 * section did not report becomes `n/a` with `reason`.
 */
export function completeFigures(spec: SectionSpec, reported: Figure[], reason: string): Figure[] {
  const byName = new Map(reported.map((f) => [f.name, f]));
  const out: Figure[] = [];
  for (const e of spec.expected) {
    const f = byName.get(e.name);
    byName.delete(e.name);
    const base: Figure = f
      ? { ...f, unit: f.unit || e.unit }
      : { name: e.name, value: null, unit: e.unit, note: reason };
    if (e.target) base.target = e.target;
    out.push(base);
  }
  // Extra figures a section chose to report keep their place after the expected ones.
  out.push(...byName.values());
  return out;
}
