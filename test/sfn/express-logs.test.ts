/**
 * Express executions log to a local log stream, as to CloudWatch Logs on AWS: once an EXPRESS
 * execution ends its events are in `<dataDir>/logs/<machine>.jsonl` as AWS's log records, and
 * `countersign logs tail <machine>` prints them; STANDARD executions keep their history instead.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRuntime, type SfnRuntime, VirtualClock } from "../../local/sfn/index.ts";
import { cliAsync } from "../platform/harness.ts";
import { tempDir } from "./helpers.ts";

const dir = tempDir("sfn-express-logs-");
let runtime: SfnRuntime;
beforeAll(() => {
  runtime = createRuntime({ dataDir: dir.dir, clock: new VirtualClock(Date.UTC(2025, 0, 1)) });
});
afterAll(async () => {
  await runtime?.close();
  dir.remove();
});

const pass = {
  StartAt: "Hello",
  States: { Hello: { Type: "Pass", Result: { hi: 1 }, End: true } },
};

it("an ended Express execution's events are in its machine's log; logs tail prints them", async () => {
  const express = runtime.createStateMachine({
    name: "quick-express",
    definition: JSON.stringify(pass),
    type: "EXPRESS",
  });
  const standard = runtime.createStateMachine({
    name: "slow-standard",
    definition: JSON.stringify(pass),
  });
  const { executionArn } = await runtime.startExecution({
    stateMachineArn: express.stateMachineArn,
    input: '{"n":1}',
  });
  await runtime.startExecution({ stateMachineArn: standard.stateMachineArn });
  await runtime.idle();

  const json = await cliAsync(["logs", "tail", "quick-express", "--data-dir", dir.dir, "--json"]);
  expect(json.stderr).toBe("");
  const records = json.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(records.map((r) => r.type)).toEqual([
    "ExecutionStarted",
    "PassStateEntered",
    "PassStateExited",
    "ExecutionSucceeded",
  ]);
  expect(records[0]).toMatchObject({
    id: "1",
    previous_event_id: "0",
    execution_arn: executionArn,
    event_timestamp: String(Date.UTC(2025, 0, 1)),
    details: { input: '{"n":1}' },
  });
  expect(records[3].details).toMatchObject({ output: '{"hi":1}' });

  const text = await cliAsync([
    "logs",
    "tail",
    express.stateMachineArn,
    "--data-dir",
    dir.dir,
    "--lines",
    "1",
  ]);
  expect(text.stdout).toBe(
    `2025-01-01T00:00:00.000Z  ${executionArn.split(":").slice(-2).join(":")}  ExecutionSucceeded  {"output":"{\\"hi\\":1}","outputDetails":{"truncated":false}}\n`,
  );
  const none = await cliAsync(["logs", "tail", "slow-standard", "--data-dir", dir.dir]);
  expect(none.code).toBe(1);
  expect(none.stderr).toContain("No log for slow-standard");
}, 120_000);
