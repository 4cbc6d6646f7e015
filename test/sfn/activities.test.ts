/**
 * Activities through the wire API and `@aws-sdk/client-sfn`, as AWS runs them: a worker loop takes
 * tasks with GetActivityTask (answered as soon as a task is queued, empty after 60 s), answers with
 * SendTaskSuccess/Failure/Heartbeat; TimeoutSeconds and HeartbeatSeconds apply; activities, their
 * queued tasks and tags survive a restart. Tags and DescribeStateMachineForExecution too.
 */
import {
  ActivityDoesNotExist,
  CreateActivityCommand,
  DeleteActivityCommand,
  DescribeActivityCommand,
  DescribeStateMachineForExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  InvalidDefinition,
  InvalidName,
  ListActivitiesCommand,
  ListTagsForResourceCommand,
  ResourceNotFound,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TagResourceCommand,
  TaskTimedOut,
  TooManyTags,
  UntagResourceCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../local/sfn/index.ts";
import { type Harness, harness, tempDir } from "./helpers.ts";

// Set by open_ before each test uses it.
let h = undefined as unknown as Harness;
let open = false;
async function open_(opts: Parameters<typeof harness>[0] = {}): Promise<Harness> {
  h = await harness(opts);
  open = true;
  return h;
}
async function close(): Promise<void> {
  if (open) await h.close();
  open = false;
}
afterEach(close);

async function activity(name: string): Promise<string> {
  const out = await h.sfn.send(new CreateActivityCommand({ name }));
  return out.activityArn as string;
}

function packing(activityArn: string, extra: object = {}) {
  return {
    StartAt: "Pack",
    States: {
      Pack: {
        Type: "Task",
        Resource: activityArn,
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "NotPacked" }],
        ...extra,
        Next: "Ship",
      },
      Ship: { Type: "Task", Resource: activityArn, End: true },
      NotPacked: { Type: "Pass", End: true },
    },
  };
}

async function start(machineArn: string, input: object): Promise<string> {
  const out = await h.sfn.send(
    new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify(input) }),
  );
  return out.executionArn as string;
}

async function historyTypes(executionArn: string): Promise<string[]> {
  const out = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return (out.events ?? []).map((e) => e.type as string);
}

describe("activities", () => {
  it("a worker loop takes each task as soon as it is queued and answers it", async () => {
    await open_();
    const arn = await activity("pack-and-ship");
    const machine = await h.machine("warehouse", packing(arn));
    // The worker polls before any task exists: the poll answers when the execution queues one.
    const worked: unknown[] = [];
    const worker = (async () => {
      for (let i = 0; i < 2; i++) {
        const task = await h.sfn.send(
          new GetActivityTaskCommand({ activityArn: arn, workerName: "worker-1" }),
        );
        const input = JSON.parse(task.input as string) as Record<string, unknown>;
        worked.push(input);
        await h.sfn.send(
          new SendTaskSuccessCommand({
            taskToken: task.taskToken as string,
            output: JSON.stringify({ ...input, step: i + 1 }),
          }),
        );
      }
    })();
    const executionArn = await start(machine, { order: "o-1" });
    await worker;
    const done = await h.runtime.waitForExecution(executionArn);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string)).toEqual({ order: "o-1", step: 2 });
    expect(worked).toEqual([{ order: "o-1" }, { order: "o-1", step: 1 }]);
    const history = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const events = history.events ?? [];
    expect(events.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "ActivityScheduled",
      "ActivityStarted",
      "ActivitySucceeded",
      "TaskStateExited",
      "TaskStateEntered",
      "ActivityScheduled",
      "ActivityStarted",
      "ActivitySucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events[2]?.activityScheduledEventDetails?.resource).toBe(arn);
    expect(events[3]?.activityStartedEventDetails?.workerName).toBe("worker-1");
  });

  it("GetActivityTask answers with no task after a 60-second poll", async () => {
    await open_();
    const arn = await activity("idle");
    let answered: object | undefined;
    const poll = h.runtime.getActivityTask({ activityArn: arn }).then((r) => {
      answered = r;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await h.clock.advance(59_000);
    expect(answered).toBeUndefined();
    await h.clock.advance(1_000);
    await poll;
    expect(answered).toEqual({});
  });

  it("a worker's SendTaskFailure goes to the Catch; TimeoutSeconds applies to a task no worker takes", async () => {
    await open_();
    const arn = await activity("fragile");
    const machine = await h.machine("fragile-flow", packing(arn, { TimeoutSeconds: 300 }));
    const failed = await start(machine, { order: "o-2" });
    const task = await h.sfn.send(new GetActivityTaskCommand({ activityArn: arn }));
    await h.sfn.send(
      new SendTaskFailureCommand({
        taskToken: task.taskToken as string,
        error: "OutOfStock",
        cause: "no boxes",
      }),
    );
    const caught = await h.runtime.waitForExecution(failed);
    expect(JSON.parse(caught.output as string)).toEqual({
      order: "o-2",
      failure: { Error: "OutOfStock", Cause: "no boxes" },
    });
    expect(await historyTypes(failed)).toContain("ActivityFailed");

    const timedOut = await start(machine, { order: "o-3" });
    await h.runtime.idle();
    await h.clock.advance(300_000);
    const out = await h.runtime.waitForExecution(timedOut);
    expect(JSON.parse(out.output as string).failure).toEqual({
      Error: "States.Timeout",
      Cause: "",
    });
    expect(await historyTypes(timedOut)).toContain("ActivityTimedOut");
    // The timed-out task is not handed to a later worker.
    let answered: { taskToken?: string } | undefined;
    void h.runtime.getActivityTask({ activityArn: arn }).then((r) => {
      answered = r;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await h.clock.advance(60_000);
    await h.runtime.idle();
    expect(answered).toEqual({});
  });

  it("HeartbeatSeconds: heartbeats keep a taken task alive, a missed one times it out", async () => {
    await open_();
    const arn = await activity("slow");
    const machine = await h.machine("slow-flow", packing(arn, { HeartbeatSeconds: 60 }));
    const executionArn = await start(machine, { order: "o-4" });
    const task = await h.sfn.send(new GetActivityTaskCommand({ activityArn: arn }));
    const taskToken = task.taskToken as string;
    await h.clock.advance(50_000);
    await h.sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
    await h.clock.advance(50_000);
    expect((await h.runtime.describeExecution({ executionArn })).status).toBe("RUNNING");
    await h.clock.advance(15_000);
    const out = await h.runtime.waitForExecution(executionArn);
    expect(JSON.parse(out.output as string).failure.Error).toBe("States.Timeout");
    await expect(
      h.sfn.send(new SendTaskSuccessCommand({ taskToken, output: "{}" })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it("activities, their queued tasks and tags survive a restart", async () => {
    const dir = tempDir();
    try {
      await open_({ dataDir: dir.dir, clock: new VirtualClock(Date.UTC(2025, 0, 1)) });
      const arn = (
        await h.sfn.send(
          new CreateActivityCommand({ name: "durable", tags: [{ key: "team", value: "ops" }] }),
        )
      ).activityArn as string;
      const machine = await h.machine("durable-flow", {
        StartAt: "Work",
        States: { Work: { Type: "Task", Resource: arn, End: true } },
      });
      const executionArn = await start(machine, { n: 1 });
      await h.runtime.idle();
      await close();

      await open_({ dataDir: dir.dir, clock: new VirtualClock(Date.UTC(2025, 0, 1, 0, 1)) });
      expect((await h.sfn.send(new DescribeActivityCommand({ activityArn: arn }))).name).toBe(
        "durable",
      );
      expect((await h.sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual(
        [{ key: "team", value: "ops" }],
      );
      const task = await h.sfn.send(new GetActivityTaskCommand({ activityArn: arn }));
      expect(JSON.parse(task.input as string)).toEqual({ n: 1 });
      await h.sfn.send(
        new SendTaskSuccessCommand({ taskToken: task.taskToken as string, output: '{"ok":true}' }),
      );
      const done = await h.runtime.waitForExecution(executionArn);
      expect(done.status).toBe("SUCCEEDED");
      expect(done.output).toBe('{"ok":true}');
    } finally {
      await close();
      dir.remove();
    }
  });

  it("checks requests with AWS's errors and messages", async () => {
    await open_();
    const bad = h.sfn.send(new CreateActivityCommand({ name: "bad name" }));
    await expect(bad).rejects.toBeInstanceOf(InvalidName);
    await expect(bad).rejects.toThrow("Invalid Name: 'bad name'");
    const arn = await activity("short-lived");
    // CreateActivity is idempotent.
    expect(await activity("short-lived")).toBe(arn);
    const listed = await h.sfn.send(new ListActivitiesCommand({}));
    expect(listed.activities?.map((a) => a.name)).toEqual(["short-lived"]);
    // Paging: a page of maxResults, then the rest from its nextToken.
    await activity("second");
    await activity("third");
    const page1 = await h.sfn.send(new ListActivitiesCommand({ maxResults: 2 }));
    expect(page1.activities?.map((a) => a.name)).toEqual(["second", "short-lived"]);
    const page2 = await h.sfn.send(
      new ListActivitiesCommand({ maxResults: 2, nextToken: page1.nextToken }),
    );
    expect(page2.activities?.map((a) => a.name)).toEqual(["third"]);
    expect(page2.nextToken).toBeUndefined();
    await h.sfn.send(new DeleteActivityCommand({ activityArn: arn }));
    const missing = h.sfn.send(new GetActivityTaskCommand({ activityArn: arn }));
    await expect(missing).rejects.toBeInstanceOf(ActivityDoesNotExist);
    await expect(missing).rejects.toThrow(`Activity Does Not Exist: '${arn}'`);
    await expect(
      h.sfn.send(new DescribeActivityCommand({ activityArn: "not-an-arn" })),
    ).rejects.toThrow("Invalid Arn: 'Invalid ARN prefix: not-an-arn'");
    // Express state machines run no activities.
    const other = await activity("express-worker");
    await expect(
      h.machine(
        "express-activity",
        { StartAt: "A", States: { A: { Type: "Task", Resource: other, End: true } } },
        "EXPRESS",
      ),
    ).rejects.toBeInstanceOf(InvalidDefinition);
  });
});

describe("tags and DescribeStateMachineForExecution", () => {
  it("tags state machines and activities; a missing resource is ResourceNotFound", async () => {
    await open_();
    const machine = await h.machine("tagged", {
      StartAt: "P",
      States: { P: { Type: "Pass", End: true } },
    });
    const arn = await activity("tagged-activity");
    for (const resourceArn of [machine, arn]) {
      await h.sfn.send(
        new TagResourceCommand({
          resourceArn,
          tags: [
            { key: "env", value: "dev" },
            { key: "owner", value: "shop" },
          ],
        }),
      );
      await h.sfn.send(new UntagResourceCommand({ resourceArn, tagKeys: ["owner"] }));
      const out = await h.sfn.send(new ListTagsForResourceCommand({ resourceArn }));
      expect(out.tags).toEqual([{ key: "env", value: "dev" }]);
    }
    const many = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    await expect(
      h.sfn.send(new TagResourceCommand({ resourceArn: machine, tags: many })),
    ).rejects.toBeInstanceOf(TooManyTags);
    expect(
      (await h.sfn.send(new ListTagsForResourceCommand({ resourceArn: machine }))).tags,
    ).toHaveLength(1);
    await expect(
      h.sfn.send(
        new ListTagsForResourceCommand({ resourceArn: `${machine.replace("tagged", "gone")}` }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFound);
  });

  it("DescribeStateMachineForExecution returns the definition the execution ran", async () => {
    await open_();
    const first = { StartAt: "A", States: { A: { Type: "Wait", Seconds: 10, End: true } } };
    const machine = await h.machine("evolving", first);
    const executionArn = await start(machine, {});
    await h.sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: machine,
        definition: JSON.stringify({ StartAt: "B", States: { B: { Type: "Pass", End: true } } }),
      }),
    );
    const out = await h.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(out.stateMachineArn).toBe(machine);
    expect(out.name).toBe("evolving");
    expect(JSON.parse(out.definition as string)).toEqual(first);
    expect(out.roleArn).toBe("arn:aws:iam::123456789012:role/test");
    expect(out.updateDate).toBeInstanceOf(Date);
  });
});
