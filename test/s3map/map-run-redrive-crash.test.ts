/**
 * A redriven Map Run survives SIGKILL: a Distributed Map over 200 items in 40 batches fails (too
 * many broken batches); a second process redrives the execution and is killed while the Map Run
 * reruns its children; a third on the same data directory finishes it. Every item is processed
 * successfully exactly once over the three processes (no child that had succeeded runs again,
 * none the redrive reran runs twice), in the same Map Run, redriven once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { killWhenReady, runToEnd } from "../support/crash-harness.ts";

const worker = fileURLToPath(new URL("./map-run-redrive-crash-worker.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "map-run-redrive-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface MapRun {
  count: number;
  mapRunArn: string;
  status: string;
  redriveCount: number;
  executionCounts: Record<string, number>;
  itemCounts: Record<string, number>;
}

it("SIGKILL during a redriven Map Run: after a restart it finishes, and every item is processed once", async () => {
  const failed = JSON.parse(await runToEnd(worker, ["fail", dir])) as {
    status: string;
    mapRun: MapRun;
  };
  expect(failed.status).toBe("FAILED");
  expect(failed.mapRun).toMatchObject({ count: 1, status: "FAILED", redriveCount: 0 });
  expect(failed.mapRun.executionCounts.failed).toBeGreaterThanOrEqual(4);

  await killWhenReady(worker, ["redrive", dir]);

  const r = JSON.parse(await runToEnd(worker, ["resume", dir])) as {
    status: string;
    output: { sum: number }[];
    mapRun: MapRun;
    lines: { pid: number; child: string; ids: number[] }[];
    pid: number;
  };
  expect(r.status).toBe("SUCCEEDED");
  expect(r.mapRun).toMatchObject({
    count: 1,
    mapRunArn: failed.mapRun.mapRunArn,
    status: "SUCCEEDED",
    redriveCount: 1,
    executionCounts: { succeeded: 40, failed: 0, aborted: 0, total: 40, pendingRedrive: 0 },
    itemCounts: { succeeded: 200, total: 200 },
  });
  // The result of a run that never failed: batch k holds items 5k..5k+4.
  expect(r.output).toEqual(Array.from({ length: 40 }, (_, k) => ({ sum: 25 * k + 10 })));
  const seen = new Map<number, number>();
  for (const l of r.lines) for (const id of l.ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  expect(seen.size).toBe(200);
  expect([...seen.values()].every((n) => n === 1)).toBe(true);
  // Each of the three processes did part of the work.
  expect(new Set(r.lines.map((l) => l.pid)).size).toBe(3);
}, 180_000);
