/**
 * The environment the order saga's handlers need, for `countersign asl fuzz` outside Vitest: when
 * no table is configured (test/setup-env.ts sets one under Vitest), start DynamoDB Local (in
 * memory) and the SES outbox, create the table, and set the variables a handler reads on Lambda.
 * DynamoDB Local's JVM dies with this process (its guard watches our stdin pipe).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "../../../functions/shared/table-schema.ts";
import { startDynamoDbLocal } from "../../../local/emulators/dynamodb-local.ts";
import { startSesLocal } from "../../../local/emulators/ses-local.ts";

const TABLE = "countersign-fuzz";

/** Starts the emulators once per process unless the environment already names a table. */
export async function ensureEnvironment(): Promise<void> {
  if (process.env.SST_RESOURCE_Table) return;
  const [dynamo, ses] = await Promise.all([
    startDynamoDbLocal({ port: 0 }),
    startSesLocal({ port: 0 }),
  ]);
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "fuzz", secretAccessKey: "fuzz" },
  });
  await ensureTable(client, TABLE);
  client.destroy();
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "fuzz",
    AWS_SECRET_ACCESS_KEY: "fuzz",
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SES: ses.endpoint,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    SST_RESOURCE_Table: JSON.stringify({ name: TABLE }),
    SST_RESOURCE_Email: JSON.stringify({ sender: "orders@countersign.local" }),
  });
  process.once("beforeExit", () => {
    void Promise.all([dynamo.stop(), ses.stop()]);
  });
}
