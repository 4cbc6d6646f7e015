/**
 * Child process for the Map Run redrive crash test. `node --import tsx
 * map-run-redrive-crash-worker.ts <mode> <dataDir>`:
 * - `fail`: starts a Distributed Map over 200 items in 40 batches of 5 (MaxConcurrency 4,
 *   ToleratedFailureCount 3) whose `work` fails every batch starting at a multiple of 20: the
 *   Map Run fails; prints the failed Map Run as JSON and exits;
 * - `redrive`: reopens the data directory, redrives the execution with `work` fixed; once 6
 *   children have answered it stops answering, prints `READY` and waits to be killed;
 * - `resume`: reopens the data directory, lets the redriven Map Run finish, prints the result.
 * `work` appends `{pid, child, ids}` to `work.jsonl` for each batch it processed successfully.
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

const { mode, dataDir } = workerArgs(["fail", "redrive", "resume"] as const);
const log = join(dataDir, "work.jsonl");
const arnFile = join(dataDir, "execution-arn");
let answered = 0;

const runtime = createRuntime({
  dataDir,
  functions: {
    work: (event) => {
      const { child, items } = event as { child: string; items: number[] };
      if (mode === "fail" && (items[0] as number) % 20 === 0) throw new Error("broken batch");
      if (mode === "redrive" && answered >= 6) return new Promise(() => {}); // killed meanwhile
      answered++;
      return recordWork(log, child, items);
    },
  },
});

const definition = {
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map",
      ItemBatcher: { MaxItemsPerBatch: 5 },
      MaxConcurrency: 4,
      ToleratedFailureCount: 3,
      ItemProcessor: workProcessor,
      End: true,
    },
  },
};

function mapRun(executionArn: string) {
  const count = runtime.listMapRuns({ executionArn }).mapRuns.length;
  return { count, ...runtime.describeMapRun({ mapRunArn: firstMapRunArn(runtime, executionArn) }) };
}

if (mode === "fail") {
  const { stateMachineArn } = runtime.createStateMachine({
    name: "redrive-crash-map",
    definition: JSON.stringify(definition),
  });
  const input = JSON.stringify(Array.from({ length: 200 }, (_, i) => i));
  const { executionArn } = await runtime.startExecution({ stateMachineArn, input });
  writeFileSync(arnFile, executionArn);
  const d = await runtime.waitForExecution(executionArn);
  process.stdout.write(`${JSON.stringify({ status: d.status, mapRun: mapRun(executionArn) })}\n`);
  await runtime.close();
} else if (mode === "redrive") {
  const executionArn = readFileSync(arnFile, "utf8");
  await runtime.redriveExecution({ executionArn });
  await waitUntil(() => answered >= 6);
  // Let the group commit reach the disk before the test kills the process.
  await sleep(300);
  readyThenWaitForKill();
} else {
  const executionArn = readFileSync(arnFile, "utf8");
  const d = await runtime.waitForExecution(executionArn);
  process.stdout.write(
    `${JSON.stringify({
      status: d.status,
      output: JSON.parse(d.output ?? "null"),
      mapRun: mapRun(executionArn),
      lines: readJsonLines<WorkLine>(log),
      pid: process.pid,
    })}\n`,
  );
  await runtime.close();
}
