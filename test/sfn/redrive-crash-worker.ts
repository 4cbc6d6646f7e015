/**
 * Child process for the redrive crash test. `node --import tsx redrive-crash-worker.ts <mode> <dir>`:
 * - `start`: runs 30 executions that fail (10 each: a Task, one item of a Map, a Task before a
 *   Wait), redrives them all, prints READY once every redriven task is mid-invocation (the
 *   handlers hang) or waiting on its timer, and waits to be killed;
 * - `resume`: reopens the data dir (the handlers work now), lets everything finish and prints the
 *   results as JSON, with how often each task was invoked in this process;
 * - `straight`: the same workload without a crash, in memory, for comparison.
 * The clock is virtual and starts at a fixed time, so runs are comparable and instant.
 */
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { createRuntime, type SfnRuntime } from "../../local/sfn/index.ts";
import {
  crashClock,
  executionSummaries,
  readJsonLines,
  readyThenWaitForKill,
  sleep,
  waitUntil,
  workerArgs,
} from "../support/crash-harness.ts";

const { mode, dataDir } = workerArgs(["start", "resume", "straight"] as const);
const PER_KIND = 10;
const FN = "arn:aws:lambda:us-east-1:123456789012:function:";
const hungFile = join(dataDir, "hung.jsonl");

class Declined extends Error {
  override name = "Declined";
}

/** fail: the first attempt; redriven: after the redrive (hangs in `start`); resumed: works. */
let phase: "fail" | "redriven" = "fail";
let hanging = 0;
const invoked: Record<string, number> = {};

const clock = crashClock(mode);

const machines: Record<string, object> = {
  task: {
    StartAt: "Prepare",
    States: {
      Prepare: {
        Type: "Pass",
        Parameters: { "i.$": "$.i", item: 0, kind: "task" },
        Next: "Charge",
      },
      Charge: { Type: "Task", Resource: `${FN}work`, End: true },
    },
  },
  map: {
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ItemsPath: "$.items",
        ItemProcessor: {
          StartAt: "Charge",
          States: { Charge: { Type: "Task", Resource: `${FN}work`, End: true } },
        },
        End: true,
      },
    },
  },
  wait: {
    StartAt: "Charge",
    States: {
      Charge: { Type: "Task", Resource: `${FN}steady`, Next: "Cool" },
      Cool: { Type: "Wait", Seconds: 3600, Next: "Done" },
      Done: { Type: "Pass", End: true },
    },
  },
};

type Item = { i: number; item: number; kind: string };

const runtime: SfnRuntime = createRuntime({
  clock,
  ...(mode === "straight" ? {} : { dataDir }),
  functions: {
    // Fails for item 0 of every task and item 2 of every map on the first attempt.
    work: (event) => {
      const e = event as Item;
      const key = `${e.kind}-${e.i}/${e.item}`;
      invoked[key] = (invoked[key] ?? 0) + 1;
      if (phase === "fail") {
        if (e.item === (e.kind === "map" ? 2 : 0)) throw new Declined(`declined ${key}`);
        return { ok: key };
      }
      if (mode === "start") {
        hanging++;
        appendFileSync(hungFile, `${JSON.stringify(key)}\n`);
        return new Promise(() => {}); // still running when the process is killed
      }
      return { ok: key };
    },
    steady: (event) => {
      const e = event as Item;
      if (phase === "fail") throw new Declined(`declined wait-${e.i}`);
      return { ok: `wait-${e.i}` };
    },
  },
});

async function startAll(): Promise<string[]> {
  const arns: string[] = [];
  for (const [kind, definition] of Object.entries(machines)) {
    const { stateMachineArn } = runtime.createStateMachine({
      name: kind,
      definition: JSON.stringify(definition),
    });
    for (let i = 0; i < PER_KIND; i++) {
      const items = [0, 1, 2, 3].map((item) => ({ i, item, kind }));
      const input = { i, kind, items };
      const { executionArn } = await runtime.startExecution({
        stateMachineArn,
        name: `${kind}-${i}`,
        input: JSON.stringify(input),
      });
      arns.push(executionArn);
    }
  }
  for (const arn of arns) await runtime.waitForExecution(arn);
  return arns;
}

async function redriveAll(arns: string[]): Promise<void> {
  phase = "redriven";
  for (const arn of arns) {
    if (runtime.describeExecution({ executionArn: arn }).status !== "FAILED") {
      throw new Error(`${arn} did not fail on its first attempt`);
    }
    await runtime.redriveExecution({ executionArn: arn });
  }
}

async function finish(): Promise<void> {
  phase = "redriven";
  await runtime.idle();
  await clock.advance(2 * 3600 * 1000);
  await runtime.idle();
  const results = executionSummaries(runtime, (d) => ({ redriveCount: d.redriveCount }));
  process.stdout.write(
    `${JSON.stringify({ results, invoked, hung: readJsonLines<string>(hungFile) })}\n`,
  );
  await runtime.close();
}

if (mode === "start") {
  const arns = await startAll();
  await redriveAll(arns);
  // 10 tasks and 10 map items mid-invocation; the wait executions wait on their timers.
  await waitUntil(() => hanging >= 2 * PER_KIND);
  await sleep(200);
  readyThenWaitForKill();
} else if (mode === "straight") {
  await redriveAll(await startAll());
  await finish();
} else {
  await finish();
}
