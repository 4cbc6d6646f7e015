/**
 * Where the time goes: runs one engine workload on one side under the V8 CPU profiler and prints
 * the functions with the most self time (aggregated by function and file), for `bench/NOTES.md`.
 *
 *   node --import tsx bench/profile.ts <memory|durable|peer> <workload> [seconds] [in flight]
 */
import { Session } from "node:inspector/promises";
import { relative } from "node:path";
import { pathToFileURL } from "node:url";
import {
  SIDE_NAMES,
  type SideName,
  WORKLOAD_KEYS,
  type WorkloadKey,
  workloadInput,
} from "./engine-plan.ts";
import { measureWindow } from "./engine-worker.ts";
import { loadSide } from "./engines.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self time by function, in percent of all samples, largest first. */
export function summarize(nodes: ProfileNode[], top = 25): Array<[string, number]> {
  const total = nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
  const byFn = new Map<string, number>();
  for (const node of nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? relative(process.cwd(), url.replace(/^file:\/\//, "")) : "";
    const key =
      `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  return [...byFn.entries()]
    .map(([k, hits]): [string, number] => [k, (100 * hits) / total])
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
}

async function main(): Promise<void> {
  const [sideArg = "memory", workloadArg = "passChain", secondsArg = "3", inFlightArg = "1"] =
    process.argv.slice(2);
  if (
    !SIDE_NAMES.includes(sideArg as SideName) ||
    !WORKLOAD_KEYS.includes(workloadArg as WorkloadKey)
  ) {
    process.stderr.write(
      `usage: bench/profile.ts <${SIDE_NAMES.join("|")}> <${WORKLOAD_KEYS.join("|")}> [seconds] [in flight]\n`,
    );
    process.exit(2);
  }
  const key = workloadArg as WorkloadKey;
  const side = await loadSide(sideArg as SideName);
  const prepared = await side.prepare(
    key,
    workloadInput(key, { loopIterations: 100, mapItems: 10_000 }),
  );
  const inFlight = Number(inFlightArg);
  await measureWindow(prepared, inFlight, 1000, 20);
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  const w = await measureWindow(prepared, inFlight, Number(secondsArg) * 1000, 1);
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  await side.close();
  process.stdout.write(
    `${sideArg} ${workloadArg}, ${inFlight} in flight: ${w.runs} executions in ${(w.wallMs / 1000).toFixed(1)} s, ` +
      `${(w.cpuMs / w.runs).toFixed(3)} CPU ms each (under the profiler)\n`,
  );
  process.stdout.write("self time  function\n");
  for (const [fn, pct] of summarize(profile.nodes as ProfileNode[])) {
    process.stdout.write(`${pct.toFixed(1).padStart(8)}%  ${fn}\n`);
  }
}

// Only as a script: `summarize` is also imported by other tools.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
