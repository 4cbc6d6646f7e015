/**
 * Item 5: resident memory of the runtime while 10,000 executions wait on task tokens, and how fast
 * they all resume. The measurement itself is the runtime helper's `bench/waiting-10k.ts`; this
 * section runs it in its own process (the bench's child) so nothing else inflates the RSS.
 */
import type { Figure } from "./figures.ts";
import { loadFunction, MissingModuleError } from "./optional-module.ts";
import { progress } from "./stats.ts";

type WaitingBench = (options?: {
  count?: number;
  quick?: boolean;
}) => Promise<{ rssMB: number; resumePerSec: number }>;

export async function runWaitingSection({ quick }: { quick: boolean }): Promise<Figure[]> {
  const count = quick ? 200 : 10_000;
  let bench: WaitingBench;
  try {
    bench = await loadFunction<WaitingBench>(
      "./waiting-10k.ts",
      ["runWaiting10k", "waiting10k", "benchWaiting10k", "runWaitingBench"],
      "runtime helper H7",
    );
  } catch (error) {
    if (!(error instanceof MissingModuleError)) throw error;
    return [
      { name: "waiting10k.rssMB", value: null, unit: "MB", note: error.message },
      { name: "waiting10k.resumePerSec", value: null, unit: "exec/s", note: error.message },
    ];
  }
  progress("waiting10k", `${count.toLocaleString("en-US")} executions waiting on a task token`);
  const { rssMB, resumePerSec } = await bench({ count, quick });
  progress("waiting10k", `rss ${rssMB.toFixed(1)} MB, resumed ${Math.round(resumePerSec)}/s`);
  return [
    {
      name: "waiting10k.rssMB",
      value: rssMB,
      unit: "MB",
      ...(quick ? { note: `${count} executions (quick)` } : {}),
    },
    { name: "waiting10k.resumePerSec", value: resumePerSec, unit: "exec/s" },
  ];
}
