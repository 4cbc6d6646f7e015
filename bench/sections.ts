/**
 * The benchmark's sections, each run in its own child process (so resident memory and cold starts
 * are measured in isolation and one section's crash cannot take the others down), with a time
 * budget that keeps the whole run under five minutes on a 2-core machine. Every section lists the
 * figures it owes, so a section that fails still yields a row saying why.
 */
import { plannedFigures } from "./engine-plan.ts";
import type { Figure, Target } from "./figures.ts";
import { TESTSTATE_SECTION } from "./teststate-section.ts";

export type SectionId =
  | "engine"
  | "saga"
  | "approval"
  | "waiting10k"
  | "history25k"
  | "api"
  | "teststate"
  | "start"
  | "scale";

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
  /** Runs only when asked for (`--scale`): it takes long. */
  onRequest?: boolean;
}

function engineExpected(): ExpectedFigure[] {
  return plannedFigures();
}

export const SECTIONS: readonly SectionSpec[] = [
  {
    id: "engine",
    title: "engine comparison (Pass chain, Lambda chain, task token, Choice loop, Map of 10,000)",
    timeoutMs: 240_000,
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
      { name: "waiting10k.resumeCpuSecPer1k", unit: "CPU s/1k" },
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
  TESTSTATE_SECTION,
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
  {
    id: "scale",
    title: "1,000,000 executions waiting on a task token (--scale)",
    timeoutMs: 3_600_000,
    quickTimeoutMs: 90_000,
    onRequest: true,
    expected: [
      { name: "scale.peakRssMB", unit: "MB", target: { max: 400 } },
      { name: "scale.waitingRssMB", unit: "MB" },
      { name: "scale.bytesPerExecution", unit: "B" },
      { name: "scale.startPerSec", unit: "exec/s" },
      { name: "scale.startCpuSecPer1k", unit: "CPU s/1k" },
      { name: "scale.reopenMs", unit: "ms", target: { max: 10_000 } },
      { name: "scale.reopenCpuMs", unit: "CPU ms" },
      { name: "scale.resumeMs.p50", unit: "ms" },
      { name: "scale.resumeMs.p99", unit: "ms", target: { max: 10 } },
      { name: "scale.resumeCpuMsPerExecution", unit: "CPU ms" },
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
