/**
 * Child process for the crash test. `node --import tsx crash-worker.ts <mode> <dataDir>`:
 * - `start`: starts 200 executions (40 each: Wait timer, waiting on a token, inside a Map, in Retry
 *   backoff, mid-Lambda), prints READY once every one is in that state, and waits to be killed;
 * - `resume`: reopens the data dir, lets everything finish and prints the results as JSON;
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
  T0,
  waitUntil,
  workerArgs,
} from "../support/crash-harness.ts";

const { mode, dataDir } = workerArgs(["start", "resume", "straight"] as const);
const PER_KIND = 40;
const FN = "arn:aws:lambda:us-east-1:123456789012:function:";
const tokenFile = join(dataDir, "tokens.jsonl");
const straightTokens: Array<{ name: string; token: string }> = [];
let slowStarted = 0;

class Transient extends Error {
  override name = "Transient";
}

const clock = crashClock(mode);

const machines: Record<string, object> = {
  wait: {
    StartAt: "W",
    States: {
      W: { Type: "Wait", Seconds: 3600, Next: "Done" },
      Done: { Type: "Pass", Parameters: { "waited.$": "$.i" }, End: true },
    },
  },
  token: {
    StartAt: "Ask",
    States: {
      Ask: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: {
          FunctionName: "ask",
          Payload: { "name.$": "$$.Execution.Name", "token.$": "$$.Task.Token" },
        },
        TimeoutSeconds: 86400,
        End: true,
      },
    },
  },
  map: {
    StartAt: "M",
    States: {
      M: {
        Type: "Map",
        ItemsPath: "$.items",
        MaxConcurrency: 2,
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "W",
          States: {
            W: { Type: "Wait", Seconds: 60, Next: "D" },
            D: { Type: "Task", Resource: `${FN}double`, End: true },
          },
        },
        End: true,
      },
    },
  },
  retry: {
    StartAt: "T",
    States: {
      T: {
        Type: "Task",
        Resource: `${FN}flaky`,
        Retry: [{ ErrorEquals: ["Transient"], IntervalSeconds: 3600, MaxAttempts: 2 }],
        End: true,
      },
    },
  },
  lambda: {
    StartAt: "T",
    States: {
      T: { Type: "Task", Resource: `${FN}slow`, Next: "After" },
      After: { Type: "Wait", Seconds: 10, End: true },
    },
  },
};

const runtime: SfnRuntime = createRuntime({
  clock,
  ...(mode === "straight" ? {} : { dataDir }),
  functions: {
    ask: async (event) => {
      const { name, token } = event as { name: string; token: string };
      if (mode === "straight") straightTokens.push({ name, token });
      else appendFileSync(tokenFile, `${JSON.stringify({ name, token })}\n`);
      return {};
    },
    double: async (event) => ({ n: (event as { n: number }).n * 2 }),
    flaky: async (event) => {
      // Fails until half an hour after T0: the first attempt fails, the retry succeeds.
      if (clock.now() < T0 + 1_800_000) throw new Transient("try again later");
      return { charged: (event as { i: number }).i };
    },
    slow: {
      timeoutSeconds: 3600,
      handler: (event) => {
        if (mode === "start") {
          slowStarted++;
          return new Promise(() => {}); // still running when the process is killed
        }
        return { slow: (event as { i: number }).i };
      },
    },
  },
});

async function startAll(): Promise<void> {
  for (const [kind, definition] of Object.entries(machines)) {
    const { stateMachineArn } = runtime.createStateMachine({
      name: kind,
      definition: JSON.stringify(definition),
    });
    for (let i = 0; i < PER_KIND; i++) {
      const input = { i, items: [{ n: i }, { n: i + 1 }, { n: i + 2 }] };
      await runtime.startExecution({
        stateMachineArn,
        name: `${kind}-${i}`,
        input: JSON.stringify(input),
      });
    }
  }
}

function tokens(): Array<{ name: string; token: string }> {
  if (mode === "straight") return straightTokens;
  return readJsonLines<{ name: string; token: string }>(tokenFile);
}

async function finish(): Promise<void> {
  await runtime.idle();
  for (const { name, token } of tokens()) {
    await runtime.sendTaskSuccess({ taskToken: token, output: JSON.stringify({ approved: name }) });
  }
  await clock.advance(2 * 3600 * 1000);
  await runtime.idle();
  const results = executionSummaries(runtime, (d) => ({ error: d.error ?? null }));
  process.stdout.write(`${JSON.stringify({ results, tokenLines: tokens().length })}\n`);
  await runtime.close();
}

if (mode === "start") {
  await startAll();
  await waitUntil(() => slowStarted >= PER_KIND && tokens().length >= PER_KIND);
  await sleep(200);
  readyThenWaitForKill();
} else if (mode === "straight") {
  await startAll();
  await finish();
} else {
  await finish();
}
