/**
 * Where the time goes: runs one engine workload on one side under the V8 CPU profiler and prints
 * the functions with the most self time (aggregated by function and file), for `bench/NOTES.md`.
 *
 *   node --import tsx bench/profile.ts <memory|durable|peer> <passChain|choiceLoop|map10k> [seconds]
 */
import { Session } from "node:inspector/promises";
import { relative } from "node:path";
import { pathToFileURL } from "node:url";
import type { Json, StateMachineDefinition } from "../local/asl/types.ts";
import {
  choiceLoop,
  choiceLoopInput,
  mapInput,
  mapOfPass,
  passChain,
  passChainInput,
} from "./definitions.ts";
import { loadSide, SIDE_NAMES, type SideName } from "./engines.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const WORKLOADS: Record<string, () => { definition: StateMachineDefinition; input: Json }> = {
  passChain: () => ({ definition: passChain(10), input: passChainInput }),
  choiceLoop: () => ({ definition: choiceLoop(), input: choiceLoopInput(100) }),
  map10k: () => ({ definition: mapOfPass(), input: mapInput(10_000) }),
};

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
  const [sideArg = "memory", workloadArg = "passChain", secondsArg = "3"] = process.argv.slice(2);
  if (!SIDE_NAMES.includes(sideArg as SideName) || !WORKLOADS[workloadArg]) {
    process.stderr.write(
      `usage: bench/profile.ts <${SIDE_NAMES.join("|")}> <${Object.keys(WORKLOADS).join("|")}> [seconds]\n`,
    );
    process.exit(2);
  }
  const { definition, input } = WORKLOADS[workloadArg]!();
  const side = await loadSide(sideArg as SideName);
  const run = await side.prepare(definition);
  for (let i = 0; i < 20; i++) await run(input);
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  const until = performance.now() + Number(secondsArg) * 1000;
  let n = 0;
  while (performance.now() < until) {
    await run(input);
    n++;
  }
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  await side.close();
  process.stdout.write(`${sideArg} ${workloadArg}: ${n} executions in ${secondsArg} s\n`);
  process.stdout.write("self time  function\n");
  for (const [fn, pct] of summarize(profile.nodes as ProfileNode[])) {
    process.stdout.write(`${pct.toFixed(1).padStart(8)}%  ${fn}\n`);
  }
}

// Only as a script: `summarize` is also imported by other tools.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
