/**
 * The `dmap` section: issue 20's Distributed Map over a 100,000-row CSV in the local S3 (batches of
 * 1,000, MaxConcurrency 10, one poisoned batch tolerated, ResultWriter), run by
 * `bench/distributed-map.ts` in this section's own process so its peak RSS is the run's. The
 * figures are kept only when the run did what the acceptance asks (SUCCEEDED, the manifest lists
 * the one failed batch); otherwise they are `n/a` with what went wrong.
 */
import { runDistributedMap } from "./distributed-map.ts";
import type { Figure } from "./figures.ts";
import { progress } from "./stats.ts";

export async function runDistributedMapSection(_options: { quick: boolean }): Promise<Figure[]> {
  // The whole size even in a quick run: it takes about a second, and a smaller CSV would not hold
  // the poisoned row (POISON_ROW), so the run could not do what it is there to show.
  const rows = 100_000;
  progress(
    "dmap",
    `Distributed Map over ${rows.toLocaleString("en-US")} CSV rows in batches of 1,000`,
  );
  const r = await runDistributedMap({ rows });
  const note = `${r.batches} child executions, 1 failed (tolerated)`;
  const failed = r.manifest.ResultFiles.FAILED?.length ?? 0;
  if (r.status !== "SUCCEEDED" || failed !== 1 || r.failedBatches.length !== 1) {
    const why = `the run did not do what the acceptance asks: ${r.status}, ${r.failedBatches.length} failed batches in the manifest`;
    return [
      { name: "dmap.wallMs", value: null, unit: "ms", note: why },
      { name: "dmap.cpuMs", value: null, unit: "ms", note: why },
      { name: "dmap.peakRssMB", value: null, unit: "MB", note: why },
    ];
  }
  progress(
    "dmap",
    `${Math.round(r.wallMs)} ms wall, ${Math.round(r.cpuMs)} ms CPU, peak RSS ${r.peakRssMB.toFixed(0)} MB`,
  );
  return [
    { name: "dmap.wallMs", value: r.wallMs, unit: "ms", note },
    {
      name: "dmap.cpuMs",
      value: r.cpuMs,
      unit: "ms",
      note: "user + system of the process, S3 server included",
    },
    {
      name: "dmap.peakRssMB",
      value: r.peakRssMB,
      unit: "MB",
      note: "the process's peak (maxRSS), S3 server included",
    },
  ];
}
