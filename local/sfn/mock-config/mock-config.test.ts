/**
 * Mock configs beyond AWS's example: JSONata definitions, a mocked `.waitForTaskToken` task, a
 * state left to its real handler, an invocation with no answer, a restart between attempts (the
 * count comes from the log), and every malformed file refused with its path and the fix.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../clock.ts";
import { createRuntime, type RuntimeOptions, type SfnRuntime } from "../runtime.ts";
import { parseMockConfig } from "./mock-config.ts";

const ROLE = "arn:aws:iam::123456789012:role/r";

/** A JSONata order flow: reserve, approval by callback, charge (retried), refund on failure. */
const SAGA = JSON.stringify({
  QueryLanguage: "JSONata",
  StartAt: "Reserve",
  States: {
    Reserve: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Arguments: { FunctionName: "reserve", Payload: "{% $states.input %}" },
      Output: "{% $states.result.Payload %}",
      Next: "Approve",
    },
    Approve: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Arguments: { FunctionName: "ask", Payload: { token: "{% $states.context.Task.Token %}" } },
      TimeoutSeconds: 86_400,
      Assign: { decision: "{% $states.result.decision %}" },
      Next: "Charge",
    },
    Charge: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Arguments: { FunctionName: "charge", Payload: { by: "{% $decision %}" } },
      Output: "{% $states.result.Payload %}",
      Retry: [{ ErrorEquals: ["Busy"], IntervalSeconds: 5, MaxAttempts: 2 }],
      Catch: [
        {
          ErrorEquals: ["States.ALL"],
          Output: "{% $states.errorOutput %}",
          Next: "Refund",
        },
      ],
      End: true,
    },
    Refund: {
      Type: "Task",
      Resource: "arn:aws:states:::dynamodb:putItem",
      Arguments: { TableName: "ledger", Item: { pk: { S: "refund" } } },
      Output: "{% $states.input %}",
      Next: "Failed",
    },
    Failed: { Type: "Fail", Error: "ChargeFailed", Cause: "{% $states.input.Cause %}" },
  },
});

const CONFIG = {
  StateMachines: {
    saga: {
      TestCases: {
        Approved: { Approve: "Approved", Charge: "ChargedAfterRetry" },
        Declined: { Approve: "Approved", Charge: "Declined", Refund: "Refunded" },
        Exhausted: { Approve: "Approved", Charge: "BusyOnce", Refund: "Refunded" },
      },
    },
  },
  MockedResponses: {
    Approved: { "0": { Return: { decision: "approve-by-boss" } } },
    ChargedAfterRetry: {
      "0": { Throw: { Error: "Busy", Cause: "try again" } },
      "1": { Return: { StatusCode: 200, Payload: { charged: true } } },
    },
    Declined: { "0": { Throw: { Error: "Declined", Cause: "card declined" } } },
    BusyOnce: { "0": { Throw: { Error: "Busy", Cause: "busy" } } },
    Refunded: { "0": { Return: {} } },
  },
};

const runtimes: SfnRuntime[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(clock: VirtualClock, extra: RuntimeOptions = {}) {
  const reserved: unknown[] = [];
  const runtime = createRuntime({
    clock,
    mockConfig: CONFIG,
    functions: {
      reserve: (event) => {
        reserved.push(event);
        return { reserved: true };
      },
    },
    ...extra,
  });
  runtimes.push(runtime);
  return { runtime, reserved };
}

async function toEnd(runtime: SfnRuntime, clock: VirtualClock, executionArn: string) {
  await runtime.idle();
  while (runtime.describeExecution({ executionArn }).status === "RUNNING") {
    if (!(await clock.runNext())) break;
  }
  return runtime.describeExecution({ executionArn });
}

const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:saga";

describe("mocked service integrations", () => {
  it("run a JSONata definition: the real handler where unmocked, a mocked callback, retried mocks", async () => {
    const clock = new VirtualClock(0);
    const { runtime, reserved } = open(clock);
    runtime.createStateMachine({ name: "saga", definition: SAGA, roleArn: ROLE });

    const { executionArn } = await runtime.startExecution({
      stateMachineArn: `${MACHINE}#Approved`,
      input: '{"order":1}',
    });
    const end = await toEnd(runtime, clock, executionArn);

    expect(reserved).toEqual([{ order: 1 }]);
    expect(end.status).toBe("SUCCEEDED");
    expect(JSON.parse(end.output as string)).toEqual({ charged: true });
    const events = runtime.getExecutionHistory({ executionArn, maxResults: 1000 }).events;
    const charge = events.filter((e) => e.type === "TaskScheduled")[2] as unknown as {
      taskScheduledEventDetails: { parameters: string };
    };
    expect(JSON.parse(charge.taskScheduledEventDetails.parameters)).toMatchObject({
      Payload: { by: "approve-by-boss" },
    });
  });

  it("throw errors that Catch takes; an invocation with no answer fails the execution", async () => {
    const clock = new VirtualClock(0);
    const { runtime } = open(clock);
    runtime.createStateMachine({ name: "saga", definition: SAGA, roleArn: ROLE });
    const start = async (testCase: string) =>
      (await runtime.startExecution({ stateMachineArn: `${MACHINE}#${testCase}` })).executionArn;

    const declined = await toEnd(runtime, clock, await start("Declined"));
    const exhausted = await toEnd(runtime, clock, await start("Exhausted"));

    expect(declined).toMatchObject({
      status: "FAILED",
      error: "ChargeFailed",
      cause: "card declined",
    });
    // AWS: "If you do not specify a mocked response ... the state machine execution will fail",
    // with States.Runtime, which a Catch on States.ALL does not take (error-handling.html).
    expect(exhausted).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(exhausted.cause).toContain(
      'StateMachines.saga.TestCases.Exhausted mocks Charge with BusyOnce, which has no answer for invocation 1 (0-based): add "1"',
    );
  });

  it("count invocations from the log after a restart: the retry gets the next answer", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "mocks-"));
    dirs.push(dataDir);
    const clock = new VirtualClock(0);
    const first = open(clock, { dataDir }).runtime;
    first.createStateMachine({ name: "saga", definition: SAGA, roleArn: ROLE });
    const { executionArn } = await first.startExecution({ stateMachineArn: `${MACHINE}#Approved` });
    await first.idle();
    // Charge's first answer (Busy) is in; its retry waits 5 s.
    expect(first.describeExecution({ executionArn }).status).toBe("RUNNING");
    await first.close();

    const second = open(clock, { dataDir }).runtime;
    const end = await toEnd(second, clock, executionArn);

    expect(end.status).toBe("SUCCEEDED");
    expect(JSON.parse(end.output as string)).toEqual({ charged: true });
  });

  it("need a mock config for <arn>#<testCase>, and a state machine the file names", async () => {
    const clock = new VirtualClock(0);
    const plain = createRuntime({ clock });
    runtimes.push(plain);
    plain.createStateMachine({ name: "saga", definition: SAGA, roleArn: ROLE });
    const { runtime } = open(clock);
    runtime.createStateMachine({ name: "other", definition: SAGA, roleArn: ROLE });

    await expect(plain.startExecution({ stateMachineArn: `${MACHINE}#Approved` })).rejects.toThrow(
      /names test case 'Approved', but this runtime has no mock config: start it with --mock-config FILE/,
    );
    await expect(
      runtime.startExecution({ stateMachineArn: `${MACHINE.replace("saga", "other")}#Approved` }),
    ).rejects.toThrow(/has no state machine 'other' under StateMachines \(it has: saga\)/);
    expect(plain.listExecutions().executions).toEqual([]);
    expect(runtime.listExecutions().executions).toEqual([]);
  });
});

describe("parseMockConfig", () => {
  const bad = (config: unknown) => {
    try {
      parseMockConfig(config, "mocks.json");
      return "accepted";
    } catch (e) {
      return (e as Error).message;
    }
  };

  it.each([
    ["{", /mocks.json is not JSON/],
    [[], /\(top level\): must be an object with StateMachines and MockedResponses/],
    [
      { StateMachines: {}, MockedResponses: {}, Extra: 1 },
      /Extra: is not a field of a mock config/,
    ],
    [{ StateMachines: {} }, /MockedResponses: must be an object of mocked responses/],
    [{ MockedResponses: {} }, /StateMachines: must be an object/],
    [{ StateMachines: { M: {} }, MockedResponses: {} }, /StateMachines.M: must be \{"TestCases"/],
    [
      {
        StateMachines: { M: { TestCases: { T: { S: "Nope" } } } },
        MockedResponses: { Ok: { "0": { Return: 1 } } },
      },
      /StateMachines.M.TestCases.T.S: names "Nope", which is not in MockedResponses \(Ok\)/,
    ],
    [
      { StateMachines: {}, MockedResponses: { R: { first: { Return: 1 } } } },
      /MockedResponses.R."first": must be an invocation number/,
    ],
    [{ StateMachines: {}, MockedResponses: { R: { "2-1": { Return: 1 } } } }, /inclusive range/],
    [
      { StateMachines: {}, MockedResponses: { R: { "0-2": { Return: 1 }, "2": { Return: 2 } } } },
      /MockedResponses.R."0-2": overlaps the invocations 2-2 given before/,
    ],
    [
      { StateMachines: {}, MockedResponses: { R: { "0": { Return: 1, Throw: {} } } } },
      /must hold exactly one of Return \(the result\) or Throw/,
    ],
    [
      { StateMachines: {}, MockedResponses: { R: { "0": { Throw: { Cause: "x" } } } } },
      /MockedResponses.R."0".Throw: must be \{"Error"/,
    ],
  ])("refuses %j", (config, message) => {
    expect(bad(config)).toMatch(message);
  });
});
