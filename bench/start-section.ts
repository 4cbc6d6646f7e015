/**
 * `npm start`'s time to its API line, first start and warm start, wall and CPU (start-time.ts).
 * Each pair runs on its own new data directory; the figures are medians over the pairs.
 */
import type { Figure } from "./figures.ts";
import { firstAndWarm } from "./start-time.ts";
import { median, progress } from "./stats.ts";

export async function runStartSection({ quick }: { quick: boolean }): Promise<Figure[]> {
  const pairs = quick ? 1 : 3;
  const runs = [];
  for (let i = 0; i < pairs; i++) {
    const run = await firstAndWarm();
    const cpu = (ms: number | null) => (ms === null ? "n/a" : `${Math.round(ms)} ms`);
    progress(
      "start",
      `pair ${i + 1}/${pairs}: first ${Math.round(run.first.wallMs)} ms (CPU ${cpu(run.first.cpuMs)}), warm ${Math.round(run.warm.wallMs)} ms (CPU ${cpu(run.warm.cpuMs)})`,
    );
    runs.push(run);
  }
  const note = `median of ${pairs}, to the API line of \`countersign start\` (demo shop); CPU: Node + JVM`;
  const cpu = (values: (number | null)[]): Figure["value"] =>
    values.every((v) => v !== null) ? median(values as number[]) : null;
  const noCpu = "CPU is read from /proc (Linux only)";
  const firstCpu = cpu(runs.map((r) => r.first.cpuMs));
  const warmCpu = cpu(runs.map((r) => r.warm.cpuMs));
  return [
    {
      name: "start.firstMs",
      value: median(runs.map((r) => r.first.wallMs)),
      unit: "ms",
      note: `${note}; new data directory, TypeScript compiled afresh, web/dist built by npm ci`,
    },
    {
      name: "start.firstCpuMs",
      value: firstCpu,
      unit: "ms",
      ...(firstCpu === null ? { note: noCpu } : {}),
    },
    { name: "start.warmMs", value: median(runs.map((r) => r.warm.wallMs)), unit: "ms", note },
    {
      name: "start.warmCpuMs",
      value: warmCpu,
      unit: "ms",
      ...(warmCpu === null ? { note: noCpu } : {}),
    },
  ];
}
