/**
 * `createTestEnvironment({ dynamodb: "local" })`: a definition's DynamoDB integration writes to
 * DynamoDB Local (the test run's, from AWS_ENDPOINT_URL_DYNAMODB), and the item is there to read.
 */
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { expect, inject, it } from "vitest";
import { createTestEnvironment } from "../../local/testing/index.ts";

it("runs a putItem task against DynamoDB Local", async () => {
  const table = inject("tableName");
  const pk = `testing-lib-${Date.now()}`;
  const env = await createTestEnvironment({
    dynamodb: "local",
    definition: {
      StartAt: "Put",
      States: {
        Put: {
          Type: "Task",
          Resource: "arn:aws:states:::dynamodb:putItem",
          Parameters: { TableName: table, Item: { pk: { S: pk }, sk: { S: "ITEM" } } },
          End: true,
        },
      },
    },
  });
  try {
    const run = await env.start();
    await run.result();

    expect(run.status).toBe("SUCCEEDED");
    const client = new DynamoDBClient({});
    const got = await client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: "ITEM" } } }),
    );
    client.destroy();
    expect(got.Item?.pk?.S).toBe(pk);
  } finally {
    await env.close();
  }
});
