/**
 * The ItemReader and ResultWriter against the run's local S3 (`map-runs/item-reader.ts`,
 * `result-writer.ts` through `s3Access`): CSV with given headers and quoted fields, `MaxItems` as
 * a string, JSON with `ItemsPointer`, a gzipped S3 inventory, and the failures named as AWS names
 * them (a missing object, malformed JSON, a negative MaxItems); WriterConfig's COMPACT and JSONL.
 */
import { gzipSync } from "node:zlib";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { MapRunPlan } from "../../local/asl/index.ts";
import { ItemReaderError, readItems } from "../../local/sfn/map-runs/item-reader.ts";
import { writeResults } from "../../local/sfn/map-runs/result-writer.ts";
import { s3Access } from "../../local/sfn/map-runs/s3-access.ts";
import type { ExecutionRow } from "../../local/sfn/store/index.ts";
import { localS3Client } from "./s3map-corpus.ts";

const client = localS3Client(inject("s3Endpoint"));
const s3 = s3Access(() => client);
const Bucket = `reader-${Date.now().toString(36)}`;
const getObject = "arn:aws:states:::s3:getObject";

beforeAll(async () => {
  await client.send(new CreateBucketCommand({ Bucket }));
  const put = (Key: string, Body: string | Uint8Array) =>
    client.send(new PutObjectCommand({ Bucket, Key, Body }));
  await put("given.csv", 'A-1|"Desk, oak"|3\nB-2|"The ""best"" lamp"|0\nC-3|Chair\n');
  await put("nested.json", JSON.stringify({ data: { rows: [{ a: 1 }, { a: 2 }, { a: 3 }] } }));
  await put("broken.json", '[{"a":1},');
  await put("inv/files/part-1.csv.gz", gzipSync('"src","x/1.txt","5"\n"src","x/2.txt","7"\n'));
  await put(
    "inv/manifest.json",
    JSON.stringify({
      fileFormat: "CSV",
      fileSchema: "Bucket, Key, Size",
      files: [{ key: "inv/files/part-1.csv.gz" }],
    }),
  );
});
afterAll(() => client.destroy());

const read = (parameters: object, config: object, maxItems?: unknown) =>
  readItems(s3, {
    resource: getObject,
    parameters: { Bucket, ...parameters },
    config: config as never,
    ...(maxItems !== undefined ? { maxItems: maxItems as never } : {}),
  });

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ItemReaderError);
    return `${(e as ItemReaderError).error}: ${(e as Error).message}`;
  }
  return "no failure";
}

describe("ItemReader on the local S3", () => {
  it("CSV with CSVHeaderLocation GIVEN, a PIPE delimiter, quoted fields, short rows; MaxItems as a string", async () => {
    const config = {
      InputType: "CSV",
      CSVHeaderLocation: "GIVEN",
      CSVHeaders: ["sku", "name", "stock"],
      CSVDelimiter: "PIPE",
    };
    expect(await read({ Key: "given.csv" }, config)).toEqual([
      { sku: "A-1", name: "Desk, oak", stock: "3" },
      { sku: "B-2", name: 'The "best" lamp', stock: "0" },
      { sku: "C-3", name: "Chair", stock: "" },
    ]);
    expect(await read({ Key: "given.csv" }, config, "2")).toHaveLength(2);
  });

  it("JSON with ItemsPointer, and a gzipped S3 inventory", async () => {
    expect(
      await read({ Key: "nested.json" }, { InputType: "JSON", ItemsPointer: "/data/rows" }, 2),
    ).toEqual([{ a: 1 }, { a: 2 }]);
    expect(
      await read(
        { Key: "inv/manifest.json" },
        { InputType: "MANIFEST", ManifestType: "S3_INVENTORY" },
      ),
    ).toEqual([
      { Bucket: "src", Key: "x/1.txt", Size: "5" },
      { Bucket: "src", Key: "x/2.txt", Size: "7" },
    ]);
  });

  it("a missing object, malformed JSON and a negative MaxItems are States.ItemReaderFailed", async () => {
    expect(await failure(read({ Key: "nope.csv" }, { InputType: "CSV" }))).toMatch(
      new RegExp(
        `^States.ItemReaderFailed: Amazon S3 could not read s3://${Bucket}/nope.csv: .*Status Code: 404, Error Code: NoSuchKey\\)$`,
      ),
    );
    expect(await failure(read({ Key: "broken.json" }, { InputType: "JSON" }))).toMatch(
      /^States.ItemReaderFailed: The object is not valid JSON: /,
    );
    expect(await failure(read({ Key: "given.csv" }, { InputType: "CSV" }, -1))).toBe(
      "States.ItemReaderFailed: field MaxItems must be positive",
    );
    expect(await failure(read({ Key: "given.csv" }, { InputType: "XML" }))).toBe(
      'States.ItemReaderFailed: InputType must be CSV, JSON, JSONL or MANIFEST, got "XML"',
    );
  });
});

describe("ResultWriter on the local S3", () => {
  const plan = {
    mapRunArn:
      "arn:aws:states:us-east-1:123456789012:mapRun:m/label:0f0e0d0c-0000-4000-8000-000000000001",
    childMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:m/label",
  } as MapRunPlan;
  const row = (status: string, output: string | null, error: string | null = null) =>
    ({
      status,
      output,
      error,
      cause: error ? "why" : null,
      start_ms: 0,
      stop_ms: 1000,
    }) as unknown as ExecutionRow;
  const children = {
    SUCCEEDED: [{ arn: "a:1", name: "1", input: "{}", row: row("SUCCEEDED", "[1,2]") }],
    FAILED: [{ arn: "a:2", name: "2", input: "{}", row: row("FAILED", null, "Boom") }],
    PENDING: [],
  };
  const body = async (Key: string) =>
    (await (await client.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString()) ??
    "";

  it("COMPACT keeps each child's output or error; JSONL writes one record a line; the manifest lists only files written", async () => {
    const out = await writeResults(
      s3,
      plan,
      {
        resource: "arn:aws:states:::s3:putObject",
        parameters: { Bucket, Prefix: "res/" },
        config: { Transformation: "COMPACT", OutputType: "JSONL" },
      },
      children,
    );
    const base = "res/0f0e0d0c-0000-4000-8000-000000000001/";
    expect(out).toEqual({
      MapRunArn: plan.mapRunArn,
      ResultWriterDetails: { Bucket, Key: `${base}manifest.json` },
    });
    expect(await body(`${base}SUCCEEDED_0.json`)).toBe("[1,2]");
    expect(await body(`${base}FAILED_0.json`)).toBe('{"Error":"Boom","Cause":"why"}');
    expect(JSON.parse(await body(`${base}manifest.json`))).toEqual({
      DestinationBucket: Bucket,
      MapRunArn: plan.mapRunArn,
      ResultFiles: {
        FAILED: [{ Key: `${base}FAILED_0.json`, Size: 30 }],
        PENDING: [],
        SUCCEEDED: [{ Key: `${base}SUCCEEDED_0.json`, Size: 5 }],
      },
    });
  });
});
