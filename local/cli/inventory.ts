/**
 * `countersign inventory report <file.csv> | --sample N`: the worked Distributed Map example
 * (`examples/inventory-report.asl.json`) on the local platform. The CSV (`sku,wanted`) goes to the
 * local S3, the state machine `InventoryReport` is created (or updated) on the platform's Step
 * Functions, run over it against the platform's table, and its ResultWriter report is read back:
 * products checked, short, unknown, and where the report is.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Command, Option } from "commander";
import { readUrls } from "../platform/data-dir.ts";
import { CliInputError } from "./errors.ts";
import { print } from "./output.ts";
import { dataDirOption, jsonOption } from "./target.ts";

const DEFINITION = fileURLToPath(
  new URL("../../examples/inventory-report.asl.json", import.meta.url),
);
const BUCKET = "countersign-inventory";
const TABLE = "countersign";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

interface ReportOptions {
  dataDir: string;
  sample?: string;
  json?: boolean;
}

interface ReportLine {
  sku: string;
  wanted: number;
  available: number;
  known: boolean;
  short: boolean;
}

/** A sample CSV: the demo catalogue's SKUs, then SKUs the table does not know. */
function sampleCsv(n: number): string {
  const known = ["LAPTOP-14", "MONITOR-27", "DOCK-USB4", "KEYBOARD", "MOUSE"];
  const rows = ["sku,wanted"];
  for (let i = 0; i < n; i++)
    rows.push(`${known[i] ?? `SAMPLE-${String(i).padStart(6, "0")}`},${(i % 7) * 10}`);
  return `${rows.join("\n")}\n`;
}

export function registerInventoryCommands(program: Command): void {
  const inventory = program
    .command("inventory")
    .description("the Distributed Map example: stock reports over a CSV in S3");
  const report = inventory
    .command("report")
    .description(
      "check a CSV of products (sku,wanted) against the stock, in batches, on the local platform",
    )
    .argument("[file]", "a CSV with columns sku and wanted")
    .addOption(new Option("--sample <n>", "generate a CSV of n products instead of reading a file"))
    .addOption(dataDirOption())
    .addOption(jsonOption());
  report.action(async (file: string | undefined, o: ReportOptions) => {
    let csv: string;
    if (o.sample !== undefined) {
      const n = Number(o.sample);
      if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
        throw new CliInputError("--sample takes a number of products from 1 to 1,000,000");
      }
      csv = sampleCsv(n);
    } else if (file) {
      try {
        csv = readFileSync(file, "utf8");
      } catch (cause) {
        throw new CliInputError(`Cannot read ${file}: ${(cause as Error).message}`);
      }
    } else throw new CliInputError("Give a CSV file (columns sku,wanted) or --sample N");
    const urls = readUrls(o.dataDir);
    if (!urls.s3)
      throw new CliInputError(
        `The platform in ${o.dataDir} runs no local S3: restart it with \`npm start\``,
      );
    const sdk = await import("@aws-sdk/client-s3");
    const sfnSdk = await import("@aws-sdk/client-sfn");
    const s3 = new sdk.S3Client({
      endpoint: urls.s3,
      forcePathStyle: true,
      region: "us-east-1",
      credentials,
    });
    const sfn = new sfnSdk.SFNClient({
      endpoint: urls.stepFunctions,
      region: "us-east-1",
      credentials,
    });
    try {
      await s3.send(new sdk.CreateBucketCommand({ Bucket: BUCKET })).catch((e: Error) => {
        if (!/BucketAlready/.test(e.name)) throw e;
      });
      const key = `products/${Date.now()}.csv`;
      await s3.send(new sdk.PutObjectCommand({ Bucket: BUCKET, Key: key, Body: csv }));
      const definition = readFileSync(DEFINITION, "utf8");
      const machineArn = urls.stateMachineArn.replace(
        /:stateMachine:.*$/,
        ":stateMachine:InventoryReport",
      );
      try {
        await sfn.send(
          new sfnSdk.UpdateStateMachineCommand({ stateMachineArn: machineArn, definition }),
        );
      } catch (e) {
        if ((e as Error).name !== "StateMachineDoesNotExist") throw e;
        await sfn.send(
          new sfnSdk.CreateStateMachineCommand({
            name: "InventoryReport",
            definition,
            roleArn: machineArn.replace(
              /:states:[^:]+:(\d+):stateMachine:.*$/,
              ":iam::$1:role/countersign-local",
            ),
          }),
        );
      }
      const input = { bucket: BUCKET, key, table: TABLE, reportBucket: BUCKET };
      const { executionArn } = await sfn.send(
        new sfnSdk.StartExecutionCommand({
          stateMachineArn: machineArn,
          input: JSON.stringify(input),
        }),
      );
      let d = await sfn.send(new sfnSdk.DescribeExecutionCommand({ executionArn }));
      while (d.status === "RUNNING") {
        await new Promise((r) => setTimeout(r, 200));
        d = await sfn.send(new sfnSdk.DescribeExecutionCommand({ executionArn }));
      }
      if (d.status !== "SUCCEEDED") {
        throw new CliInputError(
          `The inventory report ${d.status}: ${d.error ?? ""} ${d.cause ?? ""}`.trim(),
        );
      }
      const out = JSON.parse(d.output ?? "{}") as {
        ResultWriterDetails: { Bucket: string; Key: string };
      };
      const text = async (k: string) =>
        (await (
          await s3.send(new sdk.GetObjectCommand({ Bucket: BUCKET, Key: k }))
        ).Body?.transformToString()) ?? "";
      const manifest = JSON.parse(await text(out.ResultWriterDetails.Key)) as {
        ResultFiles: { SUCCEEDED: { Key: string }[] };
      };
      const lines: ReportLine[] = [];
      for (const f of manifest.ResultFiles.SUCCEEDED)
        lines.push(...(JSON.parse(await text(f.Key)) as ReportLine[]));
      const summary = {
        executionArn,
        products: lines.length,
        short: lines.filter((l) => l.short).length,
        unknown: lines.filter((l) => !l.known).length,
        manifest: `s3://${BUCKET}/${out.ResultWriterDetails.Key}`,
      };
      if (o.json) return print(summary);
      console.log(
        `Checked ${summary.products} products: ${summary.short} short (${summary.unknown} not in the catalogue).\n` +
          `Report: ${summary.manifest}   (npx countersign s3 get ${summary.manifest})`,
      );
    } finally {
      s3.destroy();
      sfn.destroy();
    }
  });
}
