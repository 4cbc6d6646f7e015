/**
 * `arn:aws:states:::aws-sdk:<service>:<action>` tasks against the run's local servers (the global
 * setup's S3 and DynamoDB Local, through `AWS_ENDPOINT_URL_S3` / `_DYNAMODB`): the action runs as
 * the SDK v3 client's command with the task's PascalCase parameters; errors are
 * `<Service>.<Exception>` and Catch takes them; a service whose client is not installed is a
 * definition error at CreateStateMachine naming the package to install.
 */
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRuntime, type SfnRuntime } from "../../local/sfn/index.ts";
import { localS3Client } from "./s3map-corpus.ts";

const TABLE = inject("tableName");
const BUCKET = `sdk-${Date.now().toString(36)}`;
const PK = `sdk-test-${Date.now()}`;
const ROLE = "arn:aws:iam::123456789012:role/aws-sdk-test";
let runtime: SfnRuntime;
let n = 0;

beforeAll(async () => {
  const s3 = localS3Client(inject("s3Endpoint"));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "report.json", Body: '{"ok":true}' }));
  s3.destroy();
  const db = new DynamoDBClient({});
  for (const sk of ["a", "b", "c"]) {
    await db.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { pk: { S: PK }, sk: { S: sk }, qty: { N: "2" } },
      }),
    );
  }
  db.destroy();
  runtime = createRuntime({ store: "memory" });
});
afterAll(() => runtime?.close());

async function run(States: object, input: object = {}) {
  const { stateMachineArn } = runtime.createStateMachine({
    name: `aws-sdk-${++n}`,
    definition: JSON.stringify({ StartAt: Object.keys(States)[0], States }),
    roleArn: ROLE,
  });
  const { executionArn } = await runtime.startExecution({
    stateMachineArn,
    input: JSON.stringify(input),
  });
  return runtime.waitForExecution(executionArn);
}

describe("aws-sdk integrations", () => {
  it("aws-sdk:s3:getObject reads the object from the local S3 (Body as text)", async () => {
    const d = await run(
      {
        Get: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:s3:getObject",
          Parameters: { Bucket: BUCKET, "Key.$": "$.key" },
          ResultSelector: {
            "body.$": "States.StringToJson($.Body)",
            "length.$": "$.ContentLength",
            "etag.$": "$.ETag",
          },
          End: true,
        },
      },
      { key: "report.json" },
    );
    expect(d.status).toBe("SUCCEEDED");
    expect(JSON.parse(d.output ?? "null")).toEqual({
      body: { ok: true },
      length: 11,
      etag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
    });
  });

  it("aws-sdk:dynamodb:query queries DynamoDB Local with the API's own members", async () => {
    const d = await run(
      {
        Query: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:dynamodb:query",
          Parameters: {
            TableName: TABLE,
            KeyConditionExpression: "pk = :pk AND sk >= :from",
            ExpressionAttributeValues: { ":pk": { "S.$": "$.pk" }, ":from": { S: "b" } },
          },
          End: true,
        },
      },
      { pk: PK },
    );
    expect(d.status).toBe("SUCCEEDED");
    const out = JSON.parse(d.output ?? "null");
    expect(out).toMatchObject({ Count: 2, ScannedCount: 2 });
    expect(out.Items).toEqual([
      { pk: { S: PK }, sk: { S: "b" }, qty: { N: "2" } },
      { pk: { S: PK }, sk: { S: "c" }, qty: { N: "2" } },
    ]);
  });

  it("errors are <Service>.<Exception> and Catch takes them", async () => {
    const d = await run({
      Missing: {
        Type: "Task",
        Resource: "arn:aws:states:::aws-sdk:dynamodb:query",
        Parameters: {
          TableName: "no-such-table",
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": { S: "x" } },
        },
        Catch: [{ ErrorEquals: ["DynamoDb.ResourceNotFoundException"], Next: "Caught" }],
        End: true,
      },
      Caught: {
        Type: "Task",
        Resource: "arn:aws:states:::aws-sdk:s3:getObject",
        Parameters: { Bucket: BUCKET, Key: "nope.json" },
        End: true,
      },
    });
    expect(d.status).toBe("FAILED");
    expect(d.error).toBe("S3.NoSuchKeyException");
    expect(d.cause).toMatch(/\(Service: S3, Status Code: 404, Request ID: .*\)$/);
  });

  it("a service whose client is not installed is a definition error naming the package", () => {
    const create = () =>
      runtime.createStateMachine({
        name: `aws-sdk-glue-${++n}`,
        definition: JSON.stringify({
          StartAt: "Glue",
          States: {
            Glue: {
              Type: "Task",
              Resource: "arn:aws:states:::aws-sdk:glue:startJobRun",
              Parameters: { JobName: "nightly" },
              End: true,
            },
          },
        }),
        roleArn: ROLE,
      });
    expect(create).toThrow(
      /needs the AWS SDK client @aws-sdk\/client-glue, which is not installed: run npm install @aws-sdk\/client-glue/,
    );
    expect(create).toThrow(expect.objectContaining({ name: "InvalidDefinition" }));
    const typo = () =>
      runtime.createStateMachine({
        name: `aws-sdk-typo-${++n}`,
        definition: JSON.stringify({
          StartAt: "Get",
          States: {
            Get: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:s3:getObjekt", End: true },
          },
        }),
        roleArn: ROLE,
      });
    expect(typo).toThrow(/@aws-sdk\/client-s3 does not have \(GetObjektCommand\)/);
  });
});
