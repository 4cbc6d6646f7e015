/**
 * Distributed Map end to end on the run's local S3, through the wire API with the unchanged
 * `@aws-sdk/client-sfn`: ItemReader (CSV with given headers, JSON Lines, S3 inventory manifest,
 * listObjectsV2 with a prefix, MaxItems), ItemBatcher with BatchInput, ItemSelector, tolerated
 * failures, MaxConcurrency, ResultWriter (manifest.json, SUCCEEDED_0/FAILED_0), and the Map Run
 * API: ListMapRuns, DescribeMapRun's counts, ListExecutions by mapRunArn (UpdateMapRun:
 * `update-map-run.test.ts`).
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  DescribeMapRunCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRuntime } from "../../local/sfn/index.ts";
import { serveOverWire, type WireApi } from "../support/sfn-wire.ts";
import { localS3Client } from "./s3map-corpus.ts";

const s3: S3Client = localS3Client(inject("s3Endpoint"));
const BUCKET = `maprun-${Date.now().toString(36)}`;
let api: WireApi;
let sfn: SFNClient;
/** The most children inside the `count` function at once. */
let inside = 0;
let mostInside = 0;

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const runtime = createRuntime({
    store: "memory",
    functions: {
      count: async (event: unknown) => {
        inside++;
        mostInside = Math.max(mostInside, inside);
        await new Promise((r) => setTimeout(r, 5));
        inside--;
        return (event as { Items: unknown[] }).Items.length;
      },
    },
  });
  api = await serveOverWire(runtime);
  sfn = api.sfn;
});
afterAll(async () => {
  await api?.close();
  s3.destroy();
});

const put = (key: string, body: string) =>
  s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
const get = async (key: string) =>
  (await (
    await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
  ).Body?.transformToString()) ?? "";

let n = 0;
const run = (definition: object, input: object = {}) =>
  api.start(`map-run-${++n}`, definition, input);
const ended = (executionArn: string) => api.ended(executionArn);

/** A processor whose child fails when its batch holds the POISON row. */
const poisonCheck = {
  StartAt: "Check",
  States: {
    Check: {
      Type: "Choice",
      Choices: [{ Condition: "{% 'POISON' in $states.input.Items.sku %}", Next: "Poisoned" }],
      Default: "Count",
    },
    Poisoned: { Type: "Fail", Error: "Inventory.Poisoned", Cause: "a poisoned row" },
    Count: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Arguments: { FunctionName: "count", Payload: "{% $states.input %}" },
      Output: "{% $states.result.Payload %}",
      End: true,
    },
  },
};

describe("Distributed Map over the local S3", () => {
  it("CSV in batches with a poisoned batch under ToleratedFailureCount 1: SUCCEEDED, the manifest lists the failed batch, the Map Run API counts it", async () => {
    const rows = ["sku;qty"];
    for (let i = 0; i < 50; i++) rows.push(`${i === 23 ? "POISON" : `SKU-${i}`};${i}`);
    await put("in/stock.csv", `${rows.join("\n")}\n`);
    const executionArn = await run(
      {
        QueryLanguage: "JSONata",
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemReader: {
              Resource: "arn:aws:states:::s3:getObject",
              ReaderConfig: {
                InputType: "CSV",
                CSVHeaderLocation: "FIRST_ROW",
                CSVDelimiter: "SEMICOLON",
              },
              Arguments: { Bucket: BUCKET, Key: "{% $states.input.key %}" },
            },
            ItemSelector: {
              sku: "{% $states.context.Map.Item.Value.sku %}",
              at: "{% $states.context.Map.Item.Index %}",
            },
            ItemBatcher: { MaxItemsPerBatch: 10, BatchInput: { run: "{% $states.input.run %}" } },
            MaxConcurrency: 2,
            ToleratedFailureCount: 1,
            ItemProcessor: {
              ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
              ...poisonCheck,
            },
            ResultWriter: {
              Resource: "arn:aws:states:::s3:putObject",
              Arguments: { Bucket: BUCKET, Prefix: "out" },
            },
            End: true,
          },
        },
      },
      { key: "in/stock.csv", run: "r1" },
    );
    const d = await ended(executionArn);
    expect(d.status).toBe("SUCCEEDED");
    const output = JSON.parse(d.output ?? "null");
    const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn }));
    expect(mapRuns).toHaveLength(1);
    const mapRunArn = mapRuns?.[0]?.mapRunArn as string;
    expect(mapRunArn).toMatch(
      /^arn:aws:states:us-east-1:123456789012:mapRun:map-run-\d+\/[0-9a-f-]{36}:[0-9a-f-]{36}$/,
    );
    const runId = mapRunArn.split(":").pop();
    expect(output).toEqual({
      MapRunArn: mapRunArn,
      ResultWriterDetails: { Bucket: BUCKET, Key: `out/${runId}/manifest.json` },
    });
    const manifest = JSON.parse(await get(`out/${runId}/manifest.json`));
    expect(manifest).toEqual({
      DestinationBucket: BUCKET,
      MapRunArn: mapRunArn,
      ResultFiles: {
        FAILED: [{ Key: `out/${runId}/FAILED_0.json`, Size: expect.any(Number) }],
        PENDING: [],
        SUCCEEDED: [{ Key: `out/${runId}/SUCCEEDED_0.json`, Size: expect.any(Number) }],
      },
    });
    const failed = JSON.parse(await get(`out/${runId}/FAILED_0.json`));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      Status: "FAILED",
      Error: "Inventory.Poisoned",
      Cause: "a poisoned row",
    });
    const failedInput = JSON.parse(failed[0].Input);
    expect(failedInput.BatchInput).toEqual({ run: "r1" });
    expect(failedInput.Items).toHaveLength(10);
    expect(failedInput.Items[3]).toEqual({ sku: "POISON", at: 23 });
    const succeeded = JSON.parse(await get(`out/${runId}/SUCCEEDED_0.json`));
    expect(succeeded.map((r: { Output: string }) => JSON.parse(r.Output))).toEqual([
      10, 10, 10, 10,
    ]);
    // MaxConcurrency 2: never more than two children inside their task at once.
    expect(mostInside).toBeGreaterThanOrEqual(1);
    expect(mostInside).toBeLessThanOrEqual(2);

    const m = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(m).toMatchObject({
      mapRunArn,
      executionArn,
      status: "SUCCEEDED",
      maxConcurrency: 2,
      toleratedFailureCount: 1,
      toleratedFailurePercentage: 0,
      executionCounts: {
        succeeded: 4,
        failed: 1,
        total: 5,
        pending: 0,
        running: 0,
        resultsWritten: 5,
      },
      itemCounts: {
        succeeded: 40,
        failed: 10,
        total: 50,
        pending: 0,
        running: 0,
        resultsWritten: 50,
      },
    });
    expect(m.stopDate).toBeInstanceOf(Date);
    const children = await sfn.send(new ListExecutionsCommand({ mapRunArn }));
    expect(children.executions).toHaveLength(5);
    for (const c of children.executions ?? []) {
      expect(c).toMatchObject({ mapRunArn, itemCount: 10 });
      expect(
        c.executionArn?.startsWith(
          `arn:aws:states:us-east-1:123456789012:execution:${c.stateMachineArn?.split(":").pop()}:`,
        ),
      ).toBe(true);
    }
    expect(children.executions?.filter((c) => c.status === "FAILED")).toHaveLength(1);
  });

  it("two poisoned batches exceed ToleratedFailureCount 1: the state fails with States.ExceedToleratedFailureThreshold, which Catch takes", async () => {
    await put("in/two.csv", "sku,qty\nPOISON,1\nA,2\nPOISON,3\nB,4\n");
    const executionArn = await run({
      QueryLanguage: "JSONata",
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemReader: {
            Resource: "arn:aws:states:::s3:getObject",
            ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
            Arguments: { Bucket: BUCKET, Key: "in/two.csv" },
          },
          ItemBatcher: { MaxItemsPerBatch: 1 },
          ToleratedFailureCount: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
            ...poisonCheck,
          },
          Catch: [
            {
              ErrorEquals: ["States.ExceedToleratedFailureThreshold"],
              Output: "{% $states.errorOutput %}",
              Next: "Caught",
            },
          ],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    });
    const d = await ended(executionArn);
    expect(d.status).toBe("SUCCEEDED");
    expect(JSON.parse(d.output ?? "null")).toEqual({
      Error: "States.ExceedToleratedFailureThreshold",
      Cause: "The specified tolerated failure threshold was exceeded",
    });
  });

  it("reads JSON Lines, an S3 inventory manifest and a listObjectsV2 prefix, cut to MaxItems", async () => {
    await put("jsonl/items.jsonl", '{"id":1}\n{"id":2}\n\n{"id":3}\n');
    await put("inv/data/a.csv", '"bkt","k/1","10"\n"bkt","k/2","20"\n');
    await put("inv/data/b.csv", '"bkt","k/3","30"\n');
    await put(
      "inv/manifest.json",
      JSON.stringify({
        sourceBucket: "bkt",
        destinationBucket: `arn:aws:s3:::${BUCKET}`,
        fileFormat: "CSV",
        fileSchema: "Bucket, Key, Size",
        files: [{ key: "inv/data/a.csv" }, { key: "inv/data/b.csv" }],
      }),
    );
    await put("list/x/1.txt", "one");
    await put("list/x/2.txt", "two!");
    await put("list/y/3.txt", "three");
    const map = (reader: object, extra: object = {}) => ({
      Type: "Map",
      ItemReader: reader,
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
        StartAt: `P${++n}`,
        States: { [`P${n}`]: { Type: "Pass", End: true } },
      },
      ...extra,
    });
    const executionArn = await run({
      StartAt: "Lines",
      States: {
        Lines: {
          ...map({
            Resource: "arn:aws:states:::s3:getObject",
            ReaderConfig: { InputType: "JSONL" },
            Parameters: { Bucket: BUCKET, Key: "jsonl/items.jsonl" },
          }),
          ResultPath: "$.lines",
          Next: "Inventory",
        },
        Inventory: {
          ...map({
            Resource: "arn:aws:states:::s3:getObject",
            ReaderConfig: { InputType: "MANIFEST", ManifestType: "S3_INVENTORY", MaxItems: 2 },
            Parameters: { Bucket: BUCKET, Key: "inv/manifest.json" },
          }),
          ResultPath: "$.inventory",
          Next: "Listing",
        },
        Listing: {
          ...map(
            {
              Resource: "arn:aws:states:::s3:listObjectsV2",
              Parameters: { Bucket: BUCKET, Prefix: "list/x/" },
            },
            {
              ItemSelector: {
                "key.$": "$$.Map.Item.Value.Key",
                "size.$": "$$.Map.Item.Value.Size",
              },
            },
          ),
          ResultPath: "$.listing",
          End: true,
        },
      },
    });
    const d = await ended(executionArn);
    expect(d.status).toBe("SUCCEEDED");
    expect(JSON.parse(d.output ?? "null")).toEqual({
      lines: [{ id: 1 }, { id: 2 }, { id: 3 }],
      inventory: [
        { Bucket: "bkt", Key: "k/1", Size: "10" },
        { Bucket: "bkt", Key: "k/2", Size: "20" },
      ],
      listing: [
        { key: "list/x/1.txt", size: 3 },
        { key: "list/x/2.txt", size: 4 },
      ],
    });
  });
});
