/**
 * The worked example `examples/inventory-report.asl.json` on the run's local S3 and DynamoDB Local:
 * a CSV of 10,000 products, 300 of them in the table with some stock, checked in batches of 100
 * (one `aws-sdk:dynamodb:batchGetItem` per batch, EXPRESS children); the ResultWriter report
 * (FLATTEN) has one line per product saying what is short and what the table does not know.
 */
import { readFileSync } from "node:fs";
import { BatchWriteItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, expect, inject, it } from "vitest";
import { createRuntime } from "../../local/sfn/index.ts";
import { localS3Client } from "./s3map-corpus.ts";

const definition = readFileSync(
  new URL("../../examples/inventory-report.asl.json", import.meta.url),
  "utf8",
);
const s3 = localS3Client(inject("s3Endpoint"));
const runtime = createRuntime({ store: "memory" });
afterAll(async () => {
  await runtime.close();
  s3.destroy();
});

it("reports 10,000 products against the table: short ones, unknown ones, one line each", async () => {
  const run = Date.now().toString(36);
  const sku = (i: number) => `INV-${run}-${i}`;
  const db = new DynamoDBClient({});
  for (let i = 0; i < 300; i += 25) {
    const puts = Array.from({ length: 25 }, (_, k) => ({
      PutRequest: {
        Item: {
          pk: { S: `SKU#${sku(i + k)}` },
          sk: { S: "STOCK" },
          sku: { S: sku(i + k) },
          available: { N: String((i + k) % 10) },
        },
      },
    }));
    await db.send(new BatchWriteItemCommand({ RequestItems: { [inject("tableName")]: puts } }));
  }
  db.destroy();
  const bucket = `inventory-${run}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const rows = ["sku,wanted"];
  for (let i = 0; i < 10_000; i++) rows.push(`${sku(i)},5`);
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: "products.csv", Body: rows.join("\n") }),
  );

  const { stateMachineArn } = runtime.createStateMachine({ name: "InventoryReport", definition });
  const { executionArn } = await runtime.startExecution({
    stateMachineArn,
    input: JSON.stringify({
      bucket,
      key: "products.csv",
      table: inject("tableName"),
      reportBucket: bucket,
    }),
  });
  const d = await runtime.waitForExecution(executionArn);
  expect(d.status, `${d.error}: ${d.cause}`).toBe("SUCCEEDED");
  const out = JSON.parse(d.output ?? "{}");
  const text = async (Key: string) =>
    (await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))
    ).Body?.transformToString()) ?? "";
  const manifest = JSON.parse(await text(out.ResultWriterDetails.Key));
  expect(manifest.ResultFiles.FAILED).toEqual([]);
  const lines: {
    sku: string;
    wanted: number;
    available: number;
    known: boolean;
    short: boolean;
  }[] = [];
  for (const f of manifest.ResultFiles.SUCCEEDED) lines.push(...JSON.parse(await text(f.Key)));
  expect(lines).toHaveLength(10_000);
  expect(lines.filter((l) => l.known)).toHaveLength(300);
  // Known SKU i has i % 10 units: short when fewer than the 5 wanted; unknown ones are short.
  expect(lines.find((l) => l.sku === sku(7))).toEqual({
    sku: sku(7),
    wanted: 5,
    available: 7,
    known: true,
    short: false,
  });
  expect(lines.find((l) => l.sku === sku(13))).toEqual({
    sku: sku(13),
    wanted: 5,
    available: 3,
    known: true,
    short: true,
  });
  expect(lines.find((l) => l.sku === sku(9999))).toEqual({
    sku: sku(9999),
    wanted: 5,
    available: 0,
    known: false,
    short: true,
  });
  expect(lines.filter((l) => l.short)).toHaveLength(9_700 + 150);
}, 180_000);
