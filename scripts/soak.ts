/**
 * `npm run soak -- [--count N] [--seed S] [--parallel P]`: runs N order sagas (default 1,000) in
 * batches of 5–7 concurrent sagas under generated fault plans, and checks the saga invariants
 * after every batch (test/saga/saga-batch.ts, saga-invariants.ts). Everything is what users run:
 * the durable local runtime on a temporary data directory with a virtual clock, the topology's
 * handlers with their links and IAM, DynamoDB Local (`-inMemory`, started here), an in-process
 * SES outbox, and the approver deciding through the approval API from the emailed link.
 *
 * Prints progress every 10 s, then `N sagas, V violations, R sagas/min` with wall and CPU time
 * and how the sagas ended; exits non-zero on any violation.
 */
import { performance } from "node:perf_hooks";
import { Command } from "commander";

// The SDK warns every Node 20 process about its future Node 22 floor; Node 20 is supported here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const options = new Command("soak")
  .option("--count <n>", "sagas to run", (v) => Number.parseInt(v, 10), 1000)
  .option("--seed <n>", "generator seed", (v) => Number.parseInt(v, 10), Date.now() % 1_000_000)
  .option("--parallel <n>", "batches in flight", (v) => Number.parseInt(v, 10), 3)
  .parse()
  .opts<{ count: number; seed: number; parallel: number }>();

if (!(options.count > 0)) throw new Error("--count must be a positive integer, e.g. --count 1000");
if (!(options.parallel > 0)) throw new Error("--parallel must be a positive integer, e.g. 3");

const { startDynamoDbLocal } = await import("../local/emulators/dynamodb-local.ts");
const { startSesLocal } = await import("../local/emulators/ses-local.ts");
console.error(`soak: ${options.count} sagas, seed ${options.seed}; starting DynamoDB Local…`);
const [dynamo, ses] = await Promise.all([
  startDynamoDbLocal({ port: 0, dbPath: "inMemory" }),
  startSesLocal({ port: 0 }),
]);
const table = "countersign-soak";
Object.assign(process.env, {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "soak",
  AWS_SECRET_ACCESS_KEY: "soak",
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  AWS_ENDPOINT_URL_SES: ses.endpoint,
  AWS_ENDPOINT_URL_SESV2: ses.endpoint,
  SST_RESOURCE_Table: JSON.stringify({ name: table }),
  SST_RESOURCE_Email: JSON.stringify({ sender: "orders@countersign.local" }),
  // The approval service logs each request and decision; errors still print.
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "ERROR",
});

const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
const { ensureTable } = await import("../functions/shared/table-schema.ts");
const { openFaultWorld, runBatch } = await import("../test/saga/saga-batch.ts");
const { sampleBatchPlans } = await import("../test/saga/saga-arbitraries.ts");
await ensureTable(new DynamoDBClient({}), table);

let sagas = 0;
let done = 0;
let violations = 0;
let crashes = 0;
const endings = new Map<string, number>();
const started = performance.now();
const cpu = process.cpuUsage();
// Plans come from one seeded stream; each batch holds 5–7 sagas.
const plans = sampleBatchPlans(Math.ceil(options.count / 5) + 1, options.seed);
let next = 0;
const rate = () => Math.round(done / ((performance.now() - started) / 60_000));

const progress = setInterval(() => {
  console.error(`… ${done}/${options.count} sagas, ${violations} violations, ${rate()} sagas/min`);
}, 10_000);

/** Runs batches one after another on its own world (runtime, data directory, virtual clock). */
async function worker(): Promise<void> {
  const fw = await openFaultWorld();
  try {
    await work(fw);
  } finally {
    await fw.world.close();
  }
}

async function work(fw: Awaited<ReturnType<typeof openFaultWorld>>): Promise<void> {
  while (sagas < options.count) {
    const plan = plans[next++];
    if (!plan) break;
    plan.orders = plan.orders.slice(0, options.count - sagas);
    sagas += plan.orders.length;
    const outcome = await runBatch(fw, plan);
    for (const v of outcome.violations) console.error(`violation: ${v}`);
    violations += outcome.violations.length;
    crashes += outcome.crashes;
    done += outcome.sagas;
    for (const run of outcome.runs) {
      const ending = run.error ? `${run.status} ${run.error}` : run.status;
      endings.set(ending, (endings.get(ending) ?? 0) + 1);
    }
  }
}

try {
  await Promise.all(Array.from({ length: options.parallel }, () => worker()));
} finally {
  clearInterval(progress);
  await ses.stop();
  await dynamo.stop();
}
const wall = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
const ends = [...endings].sort((a, b) => b[1] - a[1]).map(([e, n]) => `${n} ${e}`);
console.error(`ended: ${ends.join(", ")}; ${crashes} runtime crashes resumed`);
console.log(
  `${done} sagas, ${violations} violations, ${rate()} sagas/min ` +
    `(wall ${wall.toFixed(0)} s, this process's CPU ${((used.user + used.system) / 1e6).toFixed(0)} s, seed ${options.seed})`,
);
process.exitCode = violations ? 1 : 0;
