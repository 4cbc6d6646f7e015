/**
 * `npm run soak -- --count N [--seed S] [--dynamodb memory|local] [--parallel P]`: runs N order
 * sagas (default 10,000) in concurrent batches under generated fault plans and checks the saga
 * invariants after every batch (test/saga/saga-batch.ts). Ends with the line
 * `N sagas, V violations, R sagas/min` and exits non-zero on any violation.
 *
 * DynamoDB is the in-memory double by default (fast); `--dynamodb local` runs against AWS's
 * DynamoDB Local instead (slow; a cross-check of the double). Email goes to an in-process SES.
 */
import { performance } from "node:perf_hooks";
import { Command } from "commander";

const options = new Command("soak")
  .option("--count <n>", "sagas to run", (v) => Number.parseInt(v, 10), 10_000)
  .option("--seed <n>", "generator seed", (v) => Number.parseInt(v, 10), Date.now() % 1_000_000)
  .option("--dynamodb <kind>", "memory (default) or local (DynamoDB Local)", "memory")
  .option("--parallel <n>", "batches in flight", (v) => Number.parseInt(v, 10), 2)
  .parse()
  .opts<{ count: number; seed: number; dynamodb: string; parallel: number }>();

if (!(options.count > 0)) throw new Error("--count must be a positive integer, e.g. --count 1000");
if (!["memory", "local"].includes(options.dynamodb)) {
  throw new Error(`--dynamodb must be "memory" or "local", got "${options.dynamodb}"`);
}

const { startMemoryDynamoDb } = await import("../local/emulators/memory-dynamodb.ts");
const { startDynamoDbLocal } = await import("../local/emulators/dynamodb-local.ts");
const { startSesLocal } = await import("../local/emulators/ses-local.ts");
const dynamo =
  options.dynamodb === "local"
    ? await startDynamoDbLocal({ port: 0 })
    : await startMemoryDynamoDb();
const ses = await startSesLocal({ port: 0 });
Object.assign(process.env, {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "soak",
  AWS_SECRET_ACCESS_KEY: "soak",
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  AWS_ENDPOINT_URL_SES: ses.endpoint,
  AWS_ENDPOINT_URL_SESV2: ses.endpoint,
  SST_RESOURCE_Table: JSON.stringify({ name: "countersign-soak" }),
  SST_RESOURCE_Email: JSON.stringify({ sender: "orders@countersign.local" }),
  AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: "1",
});

const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
const { ensureTable } = await import("../functions/shared/table-schema.ts");
const { runBatch } = await import("../test/saga/saga-batch.ts");
const { sampleBatchPlans } = await import("../test/saga/saga-arbitraries.ts");
await ensureTable(new DynamoDBClient({}), "countersign-soak");

let sagas = 0;
let violations = 0;
let batch = 0;
const started = performance.now();
// Plans come in chunks from one seeded stream; each batch holds 5–7 sagas.
const plans = sampleBatchPlans(Math.ceil(options.count / 5) + 1, options.seed);
let lastReport = started;

async function worker(): Promise<void> {
  while (sagas < options.count) {
    const plan = plans[batch++];
    if (!plan) break;
    plan.orders = plan.orders.slice(0, Math.max(1, options.count - sagas));
    sagas += plan.orders.length;
    const outcome = await runBatch(plan);
    for (const v of outcome.violations) console.error(`violation: ${v}`);
    violations += outcome.violations.length;
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      console.error(`… ${sagas} sagas, ${violations} violations`);
    }
  }
}
await Promise.all(Array.from({ length: Math.max(1, options.parallel) }, () => worker()));
const minutes = (performance.now() - started) / 60_000;
await ses.stop();
await dynamo.stop();
console.log(`${sagas} sagas, ${violations} violations, ${Math.round(sagas / minutes)} sagas/min`);
process.exitCode = violations ? 1 : 0;
