/**
 * Time skipping: a one-year Wait and a 24-hour approval timeout finish without real waiting.
 */
import { DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type Harness, harness } from "./helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await harness({ functions: { notify: async () => ({}) } });
});
afterEach(async () => {
  await h.close();
});

it("a one-year Wait completes when the virtual clock jumps a year", async () => {
  const arn = await h.machine("year", {
    StartAt: "Sleep",
    States: {
      Sleep: { Type: "Wait", Seconds: 365 * 24 * 3600, Next: "Done" },
      Done: { Type: "Succeed" },
    },
  });
  const { executionArn } = await h.sfn.send(
    new StartExecutionCommand({ stateMachineArn: arn, input: '{"ok":true}' }),
  );
  await h.runtime.idle();
  expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("RUNNING");

  await h.clock.advance(365 * 24 * 3600 * 1000);

  const out = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
  expect(out.status).toBe("SUCCEEDED");
  expect(out.stopDate?.getTime()).toBe(Date.UTC(2025, 0, 1) + 365 * 24 * 3600 * 1000);
});

it("a 24-hour TimeoutSeconds on a waiting task fires when the clock jumps a day", async () => {
  const arn = await h.machine("day", {
    StartAt: "Approve",
    States: {
      Approve: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: { FunctionName: "notify", Payload: { "token.$": "$$.Task.Token" } },
        TimeoutSeconds: 24 * 3600,
        Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Expired" }],
        End: true,
      },
      Expired: { Type: "Pass", Result: "expired", End: true },
    },
  });
  const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
  await h.runtime.idle();

  await h.clock.advance(24 * 3600 * 1000 - 1);
  expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("RUNNING");
  await h.clock.advance(1);

  const out = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
  expect(out.status).toBe("SUCCEEDED");
  expect(JSON.parse(out.output as string)).toBe("expired");
});
