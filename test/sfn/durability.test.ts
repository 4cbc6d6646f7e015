/**
 * Durability inside one process: a runtime closed and reopened on the same data directory picks
 * up where it was (overdue timers fire once, tokens still work), and every step is correct when no
 * snapshot is kept in memory at all (each event rebuilds the execution by replay).
 */
import {
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterEach, expect, it } from "vitest";
import { createRuntime, VirtualClock } from "../../local/sfn/index.ts";
import { type Harness, harness, tempDir } from "./helpers.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const approvalThenWait = {
  StartAt: "Approve",
  States: {
    Approve: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: "ask", Payload: { "token.$": "$$.Task.Token" } },
      ResultPath: "$.decision",
      Next: "Cool down",
    },
    "Cool down": { Type: "Wait", Seconds: 3600, Next: "Done" },
    Done: { Type: "Pass", End: true },
  },
};

it("resumes after a restart: the token still works and an overdue Wait fires once", async () => {
  const dir = tempDir();
  cleanups.push(dir.remove);
  const tokens: string[] = [];
  const functions = { ask: async (e: unknown) => void tokens.push((e as { token: string }).token) };
  const clock1 = new VirtualClock(Date.UTC(2025, 0, 1));
  let h: Harness = await harness({ dataDir: dir.dir, clock: clock1, functions });
  const arn = await h.machine("approval", approvalThenWait);
  const { executionArn } = await h.sfn.send(
    new StartExecutionCommand({ stateMachineArn: arn, input: '{"order":"o-9"}' }),
  );
  await h.runtime.idle();
  await h.close();

  // Restart: the token minted before still resumes the execution.
  const clock2 = new VirtualClock(Date.UTC(2025, 0, 1) + 60_000);
  h = await harness({ dataDir: dir.dir, clock: clock2, functions });
  cleanups.push(() => h.close());
  await h.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '"yes"' }));
  await h.runtime.idle();
  await h.close();

  // Restart long after the Wait was due: it fires once, now.
  const clock3 = new VirtualClock(Date.UTC(2025, 0, 3));
  h = await harness({ dataDir: dir.dir, clock: clock3, functions });
  await clock3.runDue();

  const out = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
  expect(out.status).toBe("SUCCEEDED");
  expect(JSON.parse(out.output as string)).toEqual({ order: "o-9", decision: "yes" });
  expect(tokens).toHaveLength(1);
});

it("gives the same results when every event rebuilds the execution by replay", async () => {
  const clock = new VirtualClock(Date.UTC(2025, 0, 1));
  const double = async (e: unknown) => ({ n: (e as { n: number }).n * 2 });
  const runtime = createRuntime({ clock, snapshotCacheSize: 0, functions: { double } });
  cleanups.push(() => runtime.close());
  const { stateMachineArn } = runtime.createStateMachine({
    name: "map-wait",
    definition: JSON.stringify({
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemsPath: "$.items",
          MaxConcurrency: 2,
          ItemProcessor: {
            StartAt: "Pause",
            States: {
              Pause: { Type: "Wait", Seconds: 5, Next: "Double" },
              Double: {
                Type: "Task",
                Resource: "arn:aws:lambda:us-east-1:123456789012:function:double",
                End: true,
              },
            },
          },
          End: true,
        },
      },
    }),
  });
  const { executionArn } = await runtime.startExecution({
    stateMachineArn,
    input: JSON.stringify({ items: [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }] }),
  });
  await runtime.idle();

  await clock.advance(60_000);

  const out = runtime.describeExecution({ executionArn });
  expect(out.status).toBe("SUCCEEDED");
  expect(JSON.parse(out.output as string)).toEqual([{ n: 2 }, { n: 4 }, { n: 6 }, { n: 8 }]);
});
