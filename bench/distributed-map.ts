/**
 * Issue 20's Distributed Map workload: a CSV of 100,000 rows in the local S3, read by an
 * ItemReader in batches of 1,000 (ItemBatcher), run as 100 STANDARD child executions at most 10
 * at once, one batch poisoned (its child fails) under ToleratedFailureCount 1, results written by
 * ResultWriter. The durable runtime (SQLite in a temporary data directory) and the local S3 run in
 * this process. Returns the wall time from StartExecution to the end (target < 10 s), the CPU time
 * of the process over that span, the process's peak RSS, and what the run produced, which the
 * acceptance test (`test/s3map/map-run-100k.test.ts`) checks.
 *
 *   node --import tsx bench/distributed-map.ts [rows]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { createRuntime } from "../local/sfn/index.ts";

export interface DistributedMapOptions {
  /** CSV rows (default 100,000). */
  rows?: number;
  /** Items per batch (default 1,000). */
  batch?: number;
  /** An S3 to use (default: a local S3 started here, in a temporary directory). */
  s3Endpoint?: string;
}

export interface DistributedMapResult {
  status: string;
  wallMs: number;
  cpuMs: number;
  peakRssMB: number;
  rows: number;
  batches: number;
  /** The state's output: the manifest's location. */
  output: { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
  manifest: { ResultFiles: Record<string, { Key: string; Size: number }[]> };
  /** The inputs of the failed children (FAILED_0.json): each a batch. */
  failedBatches: { Items: { sku: string }[] }[];
  executionCounts: Record<string, number>;
  itemCounts: Record<string, number>;
}

/** The sku of the poisoned row: it sits in batch 42. */
export const POISON_ROW = 42_317;

const definition = (bucket: string, batch: number) => ({
  Comment: "Stock check over a 100,000-row CSV with one poisoned batch",
  QueryLanguage: "JSONata",
  StartAt: "CheckStock",
  States: {
    CheckStock: {
      Type: "Map",
      ItemReader: {
        Resource: "arn:aws:states:::s3:getObject",
        ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
        Arguments: { Bucket: bucket, Key: "products.csv" },
      },
      ItemBatcher: { MaxItemsPerBatch: batch },
      MaxConcurrency: 10,
      ToleratedFailureCount: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
        StartAt: "Inspect",
        States: {
          Inspect: {
            Type: "Choice",
            Choices: [{ Condition: "{% 'POISON' in $states.input.Items.sku %}", Next: "Poisoned" }],
            Default: "Count",
          },
          Poisoned: {
            Type: "Fail",
            Error: "Stock.Poisoned",
            Cause: "a row of this batch is poisoned",
          },
          Count: {
            Type: "Pass",
            Output:
              "{% {'rows': $count($states.input.Items), 'stock': $sum($states.input.Items.($number(stock)))} %}",
            End: true,
          },
        },
      },
      ResultWriter: {
        Resource: "arn:aws:states:::s3:putObject",
        Arguments: { Bucket: bucket, Prefix: "reports" },
      },
      End: true,
    },
  },
});

function csv(rows: number): string {
  const lines = ["sku,name,stock"];
  for (let i = 0; i < rows; i++) {
    lines.push(`${i === POISON_ROW ? "POISON" : `SKU-${i}`},Product ${i},${i % 17}`);
  }
  return `${lines.join("\n")}\n`;
}

export async function runDistributedMap(
  options: DistributedMapOptions = {},
): Promise<DistributedMapResult> {
  const rows = options.rows ?? 100_000;
  const batch = options.batch ?? 1_000;
  const dir = mkdtempSync(join(tmpdir(), "countersign-dmap-"));
  let s3Local: { endpoint: string; stop(): Promise<void> } | undefined;
  if (!options.s3Endpoint) {
    const { startS3Local } = await import("../local/emulators/s3-local.ts");
    s3Local = await startS3Local({ directory: join(dir, "s3") });
  }
  const endpoint = options.s3Endpoint ?? (s3Local?.endpoint as string);
  const s3 = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const bucket = `dmap-${Date.now().toString(36)}`;
  const runtime = createRuntime({
    dataDir: join(dir, "sfn"),
    clients: { s3 },
    onError: () => undefined,
  });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "products.csv", Body: csv(rows) }));
    const { stateMachineArn } = runtime.createStateMachine({
      name: "inventory-100k",
      definition: JSON.stringify(definition(bucket, batch)),
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { executionArn } = await runtime.startExecution({ stateMachineArn });
    const d = await runtime.waitForExecution(executionArn);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const peakRssMB = process.resourceUsage().maxRSS / 1024;
    const output = JSON.parse(d.output ?? "null") as DistributedMapResult["output"];
    const read = async (key: string) =>
      JSON.parse(
        (await (
          await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        ).Body?.transformToString()) ?? "null",
      );
    const manifest = output ? await read(output.ResultWriterDetails.Key) : { ResultFiles: {} };
    const failedFiles = (manifest.ResultFiles.FAILED ?? []) as { Key: string }[];
    const failedBatches: DistributedMapResult["failedBatches"] = [];
    for (const f of failedFiles) {
      for (const rec of (await read(f.Key)) as { Input: string }[])
        failedBatches.push(JSON.parse(rec.Input));
    }
    const m = runtime.describeMapRun({ mapRunArn: output.MapRunArn });
    return {
      status: d.status,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMB,
      rows,
      batches: Math.ceil(rows / batch),
      output,
      manifest,
      failedBatches,
      executionCounts: m.executionCounts,
      itemCounts: m.itemCounts,
    };
  } finally {
    await runtime.close();
    s3.destroy();
    await s3Local?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = await runDistributedMap({ rows: Number(process.argv[2] ?? 100_000) });
  const { failedBatches, manifest, ...figures } = r;
  console.log(JSON.stringify({ ...figures, failedBatches: failedBatches.length }, null, 2));
}
