/**
 * Resident memory of the runtime while 10,000 executions wait on task tokens, and how fast they
 * all resume (wall and CPU), every resumed execution checked. The measurement is
 * `bench/waiting-10k.ts`; this section runs it in its own process (the bench's child) so nothing
 * else inflates the RSS.
 */
import type { Figure } from "./figures.ts";
import { progress } from "./stats.ts";
import { runWaiting10k } from "./waiting-10k.ts";

export async function runWaitingSection({ quick }: { quick: boolean }): Promise<Figure[]> {
  const count = quick ? 200 : 10_000;
  progress("waiting10k", `${count.toLocaleString("en-US")} executions waiting on a task token`);
  const r = await runWaiting10k({ count, quick });
  progress(
    "waiting10k",
    `rss ${r.rssMB.toFixed(1)} MB, resumed ${Math.round(r.resumePerSec)}/s, ${r.resumeCpuSecPer1k.toFixed(3)} CPU s/1k`,
  );
  const note = quick ? `${count} executions (quick)` : undefined;
  return [
    { name: "waiting10k.rssMB", value: r.rssMB, unit: "MB", ...(note ? { note } : {}) },
    {
      name: "waiting10k.resumePerSec",
      value: r.resumePerSec,
      unit: "exec/s",
      note: "every resumed execution checked: SUCCEEDED with the answer as output",
    },
    { name: "waiting10k.resumeCpuSecPer1k", value: r.resumeCpuSecPer1k, unit: "CPU s/1k" },
  ];
}
