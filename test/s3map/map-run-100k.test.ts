/**
 * Issue 20's acceptance run: a Distributed Map over a 100,000-row CSV in the local S3 with
 * MaxItemsPerBatch 1,000, MaxConcurrency 10 and one poisoned batch under ToleratedFailureCount 1
 * succeeds, and its ResultWriter manifest lists the failed batch. The workload is the benchmark's
 * (`bench/distributed-map.ts`, which times it: speed is not asserted here).
 */
import { expect, inject, it } from "vitest";
import { POISON_ROW, runDistributedMap } from "../../bench/distributed-map.ts";

it("100,000 rows, batches of 1,000, one poisoned batch tolerated: SUCCEEDED, the manifest lists the failed batch", async () => {
  const r = await runDistributedMap({ s3Endpoint: inject("s3Endpoint") });
  expect(r.status).toBe("SUCCEEDED");
  const runId = r.output.MapRunArn.split(":").pop();
  expect(r.output.ResultWriterDetails.Key).toBe(`reports/${runId}/manifest.json`);
  expect(r.manifest.ResultFiles.FAILED).toEqual([
    { Key: `reports/${runId}/FAILED_0.json`, Size: expect.any(Number) },
  ]);
  expect(r.manifest.ResultFiles.SUCCEEDED).toHaveLength(1);
  expect(r.manifest.ResultFiles.PENDING).toEqual([]);
  // The failed batch is the one holding the poisoned row: rows 42,000..42,999.
  expect(r.failedBatches).toHaveLength(1);
  const items = r.failedBatches[0]?.Items ?? [];
  expect(items).toHaveLength(1000);
  expect(items[0]?.sku).toBe("SKU-42000");
  expect(items[POISON_ROW - 42_000]?.sku).toBe("POISON");
  expect(r.executionCounts).toMatchObject({ total: 100, succeeded: 99, failed: 1 });
  expect(r.itemCounts).toMatchObject({ total: 100_000, succeeded: 99_000, failed: 1_000 });
}, 180_000);
