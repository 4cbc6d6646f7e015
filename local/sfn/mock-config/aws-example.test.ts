/**
 * AWS's own mock configuration example runs here unchanged: `aws-example/MockConfigFile.json`
 * and the `LambdaSQSIntegration` definition as printed in "Using mocked service integrations for
 * testing in Step Functions Local"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html), driven as
 * its Step 3 drives Step Functions Local: CreateStateMachine, StartExecution on
 * `…:stateMachine:LambdaSQSIntegration#<TestCase>`, GetExecutionHistory — with the AWS SDK over
 * the wire API of a runtime given the file (what `countersign sfn serve --mock-config` runs).
 */
import { readFileSync } from "node:fs";
import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../clock.ts";
import { createRuntime, type SfnRuntime } from "../runtime.ts";
import { type SfnServer, serveSfnApi } from "../server.ts";

const file = (name: string) =>
  readFileSync(new URL(`./aws-example/${name}`, import.meta.url), "utf8");
const T0 = Date.UTC(2026, 0, 1);

let runtime: SfnRuntime;
let server: SfnServer;
let sfn: SFNClient;
let clock: VirtualClock;
let stateMachineArn: string;

beforeAll(async () => {
  clock = new VirtualClock(T0);
  runtime = createRuntime({ clock, mockConfig: file("MockConfigFile.json") });
  server = await serveSfnApi(runtime, { port: 0 });
  sfn = new SFNClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const created = await sfn.send(
    new CreateStateMachineCommand({
      name: "LambdaSQSIntegration",
      definition: file("LambdaSQSIntegration.asl.json"),
      roleArn: "arn:aws:iam::123456789012:role/service-role/LambdaSQSIntegration",
    }),
  );
  stateMachineArn = created.stateMachineArn as string;
});
afterAll(async () => {
  sfn.destroy();
  await server.close();
  await runtime.close();
});

/** Starts `<arn>#<testCase>` as AWS's page does, runs it to its end on the virtual clock. */
async function run(testCase: string) {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: `${stateMachineArn}#${testCase}`,
      name: `executionWith${testCase}MockedServices`,
    }),
  );
  while (runtime.describeExecution({ executionArn: executionArn as string }).status === "RUNNING") {
    if (!(await clock.runNext())) break;
  }
  const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return {
    executionArn,
    description: runtime.describeExecution({ executionArn: executionArn as string }),
    events,
  };
}

const details = (events: HistoryEvent[], type: string) =>
  events
    .filter((e) => e.type === type)
    .map((e) => {
      const key = Object.keys(e).find((k) => k.endsWith("EventDetails")) as keyof HistoryEvent;
      return e[key] as Record<string, unknown>;
    });

describe("AWS's MockConfigFile.json example, unchanged", () => {
  it("HappyPath: both tasks answer with their mocked responses", async () => {
    const { executionArn, description, events } = await run("HappyPath");

    // The execution's ARN has no test case suffix (the page's StartExecution response).
    expect(executionArn).toBe(
      "arn:aws:states:us-east-1:123456789012:execution:LambdaSQSIntegration:executionWithHappyPathMockedServices",
    );
    expect(description.status).toBe("SUCCEEDED");
    const succeeded = details(events, "TaskSucceeded");
    expect(
      succeeded.map((d) => [d.resourceType, d.resource, JSON.parse(d.output as string)]),
    ).toEqual([
      [
        "lambda",
        "invoke",
        { StatusCode: 200, Payload: { StatusCode: 200, body: "Hello from Lambda!" } },
      ],
      [
        "sqs",
        "sendMessage",
        {
          MD5OfMessageBody: "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
          MessageId: "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51",
        },
      ],
    ]);
    // "the output from LambdaState is passed onto SQSState as input"
    const sqsInput = details(events, "TaskStateEntered")[1]?.input as string;
    expect(JSON.parse(sqsInput)).toEqual(JSON.parse(succeeded[0]?.output as string));
    expect(JSON.parse(description.output as string)).toEqual(
      JSON.parse(succeeded[1]?.output as string),
    );
  });

  it("RetryPath: invocation 0 and 1-2 throw, 3 returns, after the Retry's 2, 4 and 8 second back-offs", async () => {
    const { description, events } = await run("RetryPath");

    expect(description.status).toBe("SUCCEEDED");
    expect(details(events, "TaskFailed").map((d) => [d.error, d.cause])).toEqual([
      ["Lambda.ResourceNotReadyException", "Lambda resource is not ready."],
      ["Lambda.TimeoutException", "Lambda timed out."],
      ["Lambda.TimeoutException", "Lambda timed out."],
    ]);
    const scheduled = events
      .filter((e) => e.type === "TaskScheduled")
      .map((e) => (e.timestamp as Date).getTime());
    expect(scheduled.slice(1, 4).map((t, i) => (t - (scheduled[i] as number)) / 1000)).toEqual([
      2, 4, 8,
    ]);
    expect(details(events, "TaskSucceeded")).toHaveLength(2);
  });

  it("HybridPath: LambdaState is mocked; SQSState would call SQS, which is not here, and says so", async () => {
    const { description, events } = await run("HybridPath");

    expect(details(events, "TaskSucceeded")[0]?.resource).toBe("invoke");
    expect(description).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(description.cause).toContain(
      'SQSState calls arn:aws:states:::sqs:sendMessage, which Countersign cannot call locally, and test case \'HybridPath\' does not mock it: add "SQSState": "<mocked response>" to StateMachines.LambdaSQSIntegration.TestCases.HybridPath',
    );
  });

  it("refuses a test case the file does not have, naming the ones it has", async () => {
    const r = sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#SadPath` }),
    );
    await expect(r).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining(
        "has no test case 'SadPath' for 'LambdaSQSIntegration' (it has: HappyPath, RetryPath, HybridPath)",
      ),
    });
  });
});
