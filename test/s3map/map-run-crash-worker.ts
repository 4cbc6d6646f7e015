/**
 * Child process for the Map Run crash test. `node --import tsx map-run-crash-worker.ts <mode>
 * <dataDir> <bucket>` (the local S3 from `AWS_ENDPOINT_URL_S3`, the CSV already in the bucket):
 * - `start`: starts a Distributed Map over `items.csv` (batches of 20, MaxConcurrency 5) whose
 *   `work` function lets the first 30 children finish and then never answers; once those 30 are
 *   SUCCEEDED it prints `READY <their names as JSON>` and waits to be killed;
 * - `resume`: reopens the data directory, lets the Map Run finish, prints the result as JSON.
 * `work` appends `{pid, child, ids}` to `work.jsonl` when it has processed a batch.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRuntime } from "../../local/sfn/index.ts";
import {
  readJsonLines,
  readyThenWaitForKill,
  sleep,
  waitUntil,
  workerArgs,
} from "../support/crash-harness.ts";
import {
  firstMapRunArn,
  recordWork,
  type WorkLine,
  workProcessor,
} from "./map-run-worker-parts.ts";

const {
  mode,
  dataDir,
  rest: [bucket = ""],
} = workerArgs(["start", "resume"] as const);
const log = join(dataDir, "work.jsonl");
const arnFile = join(dataDir, "execution-arn");
let answered = 0;

const runtime = createRuntime({
  dataDir,
  functions: {
    work: (event) => {
      const { child, items } = event as { child: string; items: { id: string }[] };
      if (mode === "start" && answered >= 30) return new Promise(() => {}); // killed meanwhile
      answered++;
      return recordWork(
        log,
        child,
        items.map((i) => Number(i.id)),
      );
    },
  },
});

const definition = {
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map",
      ItemReader: {
        Resource: "arn:aws:states:::s3:getObject",
        ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
        Parameters: { Bucket: bucket, Key: "items.csv" },
      },
      ItemBatcher: { MaxItemsPerBatch: 20 },
      MaxConcurrency: 5,
      ItemProcessor: workProcessor,
      End: true,
    },
  },
};

async function succeededChildren(executionArn: string): Promise<string[]> {
  const mapRunArn = firstMapRunArn(runtime, executionArn);
  if (!mapRunArn) return [];
  const out: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = runtime.listExecutions({
      mapRunArn,
      statusFilter: "SUCCEEDED",
      maxResults: 1000,
      nextToken,
    }) as {
      executions: { name: string }[];
      nextToken?: string;
    };
    out.push(...page.executions.map((e) => e.name));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

if (mode === "start") {
  const { stateMachineArn } = runtime.createStateMachine({
    name: "crash-map",
    definition: JSON.stringify(definition),
  });
  const { executionArn } = await runtime.startExecution({ stateMachineArn, name: "crash-1" });
  writeFileSync(arnFile, executionArn);
  await waitUntil(async () => (await succeededChildren(executionArn)).length >= 30);
  // Let the group commit reach the disk before the test kills the process.
  await sleep(300);
  readyThenWaitForKill(JSON.stringify(await succeededChildren(executionArn)));
} else {
  const executionArn = readFileSync(arnFile, "utf8");
  const d = await runtime.waitForExecution(executionArn);
  const mapRunArn = firstMapRunArn(runtime, executionArn);
  const lines = readJsonLines<WorkLine>(log);
  process.stdout.write(
    `${JSON.stringify({
      status: d.status,
      output: JSON.parse(d.output ?? "null"),
      mapRun: runtime.describeMapRun({ mapRunArn }),
      succeeded: await succeededChildren(executionArn),
      lines,
      pid: process.pid,
    })}\n`,
  );
  await runtime.close();
}
