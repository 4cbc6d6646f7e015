/**
 * Probe: an unchanged `@aws-sdk/client-sfn` calls the activity, tag and execution operations of
 * the local runtime's wire API in the order a user would — a tagged activity and state machine,
 * a worker loop that takes tasks, heartbeats and answers (one order fails, its Catch refunds), a
 * listing of everything, the definition an execution ran after an update, an express run, a stop,
 * then cleanup. With the versions/aliases/redrive probe (`versions-redrive.test.ts`, branch
 * `redrive`), TestState (`test-state.test.ts`) and Map Runs (branch `s3map`) it covers all 37
 * operations of the Step Functions API.
 */
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DeleteActivityCommand,
  DeleteStateMachineCommand,
  DescribeActivityCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  ListActivitiesCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, harness } from "./helpers.ts";

const ROLE = "arn:aws:iam::123456789012:role/test";

/** The operations this probe must call (the runtime's own, besides versions/aliases/redrive). */
const OWN = [
  "CreateActivity",
  "CreateStateMachine",
  "DeleteActivity",
  "DeleteStateMachine",
  "DescribeActivity",
  "DescribeExecution",
  "DescribeStateMachine",
  "DescribeStateMachineForExecution",
  "GetActivityTask",
  "GetExecutionHistory",
  "ListActivities",
  "ListExecutions",
  "ListStateMachines",
  "ListTagsForResource",
  "SendTaskFailure",
  "SendTaskHeartbeat",
  "SendTaskSuccess",
  "StartExecution",
  "StartSyncExecution",
  "StopExecution",
  "TagResource",
  "UntagResource",
  "UpdateStateMachine",
  "ValidateStateMachineDefinition",
];

const fulfilment = (activityArn: string, comment: string) =>
  JSON.stringify({
    Comment: comment,
    StartAt: "Pick",
    States: {
      Pick: {
        Type: "Task",
        Resource: activityArn,
        HeartbeatSeconds: 120,
        TimeoutSeconds: 3600,
        Catch: [{ ErrorEquals: ["OutOfStock"], ResultPath: "$.problem", Next: "Refund" }],
        End: true,
      },
      Refund: { Type: "Pass", Result: "refunded", ResultPath: "$.refund", End: true },
    },
  });

let h: Harness;
const called = new Set<string>();

beforeAll(async () => {
  h = await harness();
  h.sfn.middlewareStack.add(
    (next, context) => async (args) => {
      called.add(String(context.commandName).replace(/Command$/, ""));
      return next(args);
    },
    { step: "initialize", name: "probeRecorder" },
  );
});
afterAll(async () => {
  await h.close();
});

describe("probe: activities, tags and executions through @aws-sdk/client-sfn", () => {
  it("runs a warehouse with an activity worker, tags, listings and cleanup", async () => {
    const { sfn } = h;
    const { activityArn } = await sfn.send(
      new CreateActivityCommand({
        name: "pick-items",
        tags: [{ key: "team", value: "warehouse" }],
      }),
    );
    const arn = activityArn as string;
    expect((await sfn.send(new DescribeActivityCommand({ activityArn: arn }))).name).toBe(
      "pick-items",
    );
    const definition = fulfilment(arn, "v1");
    const check = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition }));
    expect(check.result).toBe("OK");
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: "fulfilment",
        definition,
        roleArn: ROLE,
        tags: [{ key: "env", value: "dev" }],
      }),
    );
    const machine = stateMachineArn as string;
    await sfn.send(
      new TagResourceCommand({ resourceArn: machine, tags: [{ key: "cost-centre", value: "42" }] }),
    );
    await sfn.send(new UntagResourceCommand({ resourceArn: machine, tagKeys: ["env"] }));
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: machine }))).tags).toEqual(
      [{ key: "cost-centre", value: "42" }],
    );

    // Two orders; the worker picks the first, heartbeats, packs it; the second is out of stock.
    const started: string[] = [];
    for (const order of ["o-1", "o-2"]) {
      const out = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: machine,
          name: order,
          input: JSON.stringify({ order }),
        }),
      );
      started.push(out.executionArn as string);
    }
    for (let i = 0; i < 2; i++) {
      const task = await sfn.send(
        new GetActivityTaskCommand({ activityArn: arn, workerName: "picker-1" }),
      );
      const taskToken = task.taskToken as string;
      const { order } = JSON.parse(task.input as string) as { order: string };
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
      if (order === "o-1") {
        await sfn.send(
          new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ order, picked: 3 }) }),
        );
      } else {
        await sfn.send(
          new SendTaskFailureCommand({ taskToken, error: "OutOfStock", cause: "shelf empty" }),
        );
      }
    }
    const [first, second] = await Promise.all(started.map((a) => h.runtime.waitForExecution(a)));
    expect(JSON.parse(first?.output as string)).toEqual({ order: "o-1", picked: 3 });
    expect(JSON.parse(second?.output as string)).toEqual({
      order: "o-2",
      problem: { Error: "OutOfStock", Cause: "shelf empty" },
      refund: "refunded",
    });
    const described = await sfn.send(
      new DescribeExecutionCommand({ executionArn: started[0] as string }),
    );
    expect(described.status).toBe("SUCCEEDED");
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started[0] as string }),
    );
    expect(history.events?.map((e) => e.type)).toContain("ActivityStarted");

    // The definition changes; an execution still reports the one it ran.
    await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: machine,
        definition: fulfilment(arn, "v2"),
      }),
    );
    expect(
      (await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machine }))).definition,
    ).toContain('"v2"');
    const ran = await sfn.send(
      new DescribeStateMachineForExecutionCommand({ executionArn: started[0] as string }),
    );
    expect(ran.definition).toContain('"v1"');

    // A third order waits for a worker that never comes: it is stopped.
    const { executionArn: third } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machine,
        name: "o-3",
        input: '{"order":"o-3"}',
      }),
    );
    await h.runtime.idle();
    await sfn.send(new StopExecutionCommand({ executionArn: third, error: "Cancelled" }));
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }));
    expect(listed.executions?.map((e) => [e.name, e.status])).toEqual([
      ["o-3", "ABORTED"],
      ["o-2", "SUCCEEDED"],
      ["o-1", "SUCCEEDED"],
    ]);

    // An express quote next to it.
    const { stateMachineArn: quote } = await sfn.send(
      new CreateStateMachineCommand({
        name: "quote",
        type: "EXPRESS",
        roleArn: ROLE,
        definition: JSON.stringify({
          StartAt: "Q",
          States: {
            Q: { Type: "Pass", Parameters: { "price.$": "States.MathAdd($.base, 5)" }, End: true },
          },
        }),
      }),
    );
    const sync = await sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: quote, input: '{"base":10}' }),
    );
    expect(sync.output).toBe('{"price":15}');

    const machines = await sfn.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((m) => m.name).sort()).toEqual(["fulfilment", "quote"]);
    const activities = await sfn.send(new ListActivitiesCommand({}));
    expect(activities.activities?.map((a) => a.activityArn)).toEqual([arn]);

    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: quote }));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: machine }));
    await sfn.send(new DeleteActivityCommand({ activityArn: arn }));
    expect((await sfn.send(new ListActivitiesCommand({}))).activities).toEqual([]);

    expect([...called].sort()).toEqual([...OWN].sort());
  });
});
