/**
 * Express semantics through the wire API: an EXPRESS execution ends after five minutes with
 * `States.Timeout` (its own TimeoutSeconds applies when shorter, never a longer one), a STANDARD
 * one does not; Express executions keep no history (GetExecutionHistory answers AWS's InvalidArn).
 * Virtual clock: the five minutes pass at once.
 */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Harness, harness } from "./helpers.ts";

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h?.close());

const waiting = (seconds: number, timeout?: number) => ({
  ...(timeout !== undefined ? { TimeoutSeconds: timeout } : {}),
  StartAt: "W",
  States: { W: { Type: "Wait", Seconds: seconds, End: true } },
});

async function start(stateMachineArn: string) {
  const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn }));
  await h.runtime.idle();
  return executionArn as string;
}

const describe = (executionArn: string) =>
  h.sfn.send(new DescribeExecutionCommand({ executionArn }));

it("an EXPRESS execution times out after five minutes with States.Timeout; a STANDARD one waits on", async () => {
  const express = await start(await h.machine("express-long", waiting(3600), "EXPRESS"));
  const capped = await start(await h.machine("express-own-limit", waiting(3600, 3000), "EXPRESS"));
  const short = await start(await h.machine("express-short-limit", waiting(3600, 60), "EXPRESS"));
  const standard = await start(await h.machine("standard-long", waiting(3600)));

  await h.clock.advance(61_000);
  expect((await describe(short)).status).toBe("TIMED_OUT");
  expect((await describe(express)).status).toBe("RUNNING");

  await h.clock.advance(240_000);
  for (const arn of [express, capped]) {
    const d = await describe(arn);
    expect(d.status).toBe("TIMED_OUT");
    expect(d.error).toBe("States.Timeout");
    expect(d.stopDate?.getTime()).toBe((d.startDate?.getTime() as number) + 300_000);
  }
  expect((await describe(standard)).status).toBe("RUNNING");
  await h.clock.advance(3600_000);
  expect((await describe(standard)).status).toBe("SUCCEEDED");
});

it("GetExecutionHistory of an Express execution is AWS's InvalidArn", async () => {
  const arn = await start(
    await h.machine(
      "express-history",
      { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      "EXPRESS",
    ),
  );
  expect(arn).toContain(":express:");
  const error = await h.sfn
    .send(new GetExecutionHistoryCommand({ executionArn: arn }))
    .catch((e: Error) => e);
  expect(error).toMatchObject({
    name: "InvalidArn",
    message: "Invalid Arn: 'Resource type not valid in this context: express'",
  });
});
