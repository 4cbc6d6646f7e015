/**
 * A Map Run survives SIGKILL: a process runs a Distributed Map over 2,000 CSV rows in 100 batches
 * (MaxConcurrency 5), is killed after 30 children succeeded while 5 are inside their task, and a
 * new process on the same data directory finishes the Map Run. The children that had succeeded
 * are not run again, every item is processed by exactly one child that succeeded, and the result
 * is the one an uninterrupted run gives.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, expect, inject, it } from "vitest";
import { killWhenReady, runToEnd } from "../support/crash-harness.ts";
import { localS3Client } from "./s3map-corpus.ts";

const worker = fileURLToPath(new URL("./map-run-crash-worker.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "map-run-crash-"));
const bucket = `crash-${Date.now().toString(36)}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Resumed {
  status: string;
  output: { sum: number }[];
  mapRun: {
    status: string;
    executionCounts: Record<string, number>;
    itemCounts: Record<string, number>;
  };
  succeeded: string[];
  lines: { pid: number; child: string; ids: number[] }[];
  pid: number;
}

it("SIGKILL mid-Map-Run: after a restart the Map Run finishes, no succeeded child runs again, every item is processed once", async () => {
  const s3 = localS3Client(inject("s3Endpoint"));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const rows = ["id,name"];
  for (let i = 0; i < 2000; i++) rows.push(`${i},item-${i}`);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "items.csv", Body: rows.join("\n") }));
  s3.destroy();

  const before = JSON.parse(await killWhenReady(worker, ["start", dir, bucket])) as string[];
  expect(before.length).toBeGreaterThanOrEqual(30);

  const r = JSON.parse(await runToEnd(worker, ["resume", dir, bucket])) as Resumed;
  expect(r.status).toBe("SUCCEEDED");
  expect(r.mapRun).toMatchObject({
    status: "SUCCEEDED",
    executionCounts: { succeeded: 100, failed: 0, total: 100 },
    itemCounts: { succeeded: 2000, total: 2000 },
  });
  // The result of an uninterrupted run: batch k holds ids 20k..20k+19.
  expect(r.output).toEqual(Array.from({ length: 100 }, (_, k) => ({ sum: 400 * k + 190 })));
  // Children that had succeeded before the kill were not run again by the new process.
  const again = r.lines.filter((l) => l.pid === r.pid && before.includes(l.child));
  expect(again).toEqual([]);
  // Every item was processed exactly once, by a child that succeeded.
  expect(new Set(r.succeeded).size).toBe(100);
  const seen = new Map<number, number>();
  for (const l of r.lines) {
    expect(r.succeeded).toContain(l.child);
    for (const id of l.ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  expect(seen.size).toBe(2000);
  expect([...seen.values()].every((n) => n === 1)).toBe(true);
  expect(r.lines.some((l) => l.pid === r.pid)).toBe(true);
}, 180_000);
