/**
 * Task-token semantics as on AWS, through the SDK: success, failure into Catch, heartbeat timeout,
 * TimeoutSeconds, reuse (TaskTimedOut) and garbage (InvalidToken) — on a virtual clock.
 */
import {
  DescribeExecutionCommand,
  InvalidOutput,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskTimedOut,
} from "@aws-sdk/client-sfn";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, harness } from "./helpers.ts";

const tokens: string[] = [];
let h: Harness;

function approval(extra: object = {}) {
  return {
    StartAt: "Approve",
    States: {
      Approve: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: { FunctionName: "request-approval", Payload: { "token.$": "$$.Task.Token" } },
        Catch: [{ ErrorEquals: ["Rejected"], ResultPath: "$.failure", Next: "WasRejected" }],
        ...extra,
        End: true,
      },
      WasRejected: { Type: "Pass", End: true },
    },
  };
}

async function startWaiting(definition: object): Promise<string> {
  const arn = await h.machine(
    `m-${tokens.length}-${Math.abs(JSON.stringify(definition).length)}`,
    definition,
  );
  const out = await h.sfn.send(
    new StartExecutionCommand({ stateMachineArn: arn, input: '{"order":"o-1"}' }),
  );
  await h.runtime.idle();
  return out.executionArn as string;
}

async function describe_(executionArn: string) {
  return h.sfn.send(new DescribeExecutionCommand({ executionArn }));
}

beforeEach(async () => {
  tokens.length = 0;
  h = await harness({
    functions: {
      "request-approval": async (event) => {
        tokens.push((event as { token: string }).token);
        return {};
      },
    },
  });
});
afterEach(async () => {
  await h.close();
});

describe("task tokens", () => {
  it("SendTaskSuccess resumes the execution with the given output", async () => {
    const executionArn = await startWaiting(approval());
    const token = tokens[0] as string;
    expect(token.length).toBeLessThanOrEqual(2048);

    await h.sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"approved"}' }),
    );
    await h.runtime.idle();

    const out = await describe_(executionArn);
    expect(out.status).toBe("SUCCEEDED");
    expect(JSON.parse(out.output as string)).toEqual({ decision: "approved" });
  });

  it("SendTaskFailure's error and cause reach Catch", async () => {
    const executionArn = await startWaiting(approval());

    await h.sfn.send(
      new SendTaskFailureCommand({
        taskToken: tokens[0],
        error: "Rejected",
        cause: "too expensive",
      }),
    );
    await h.runtime.idle();

    const out = await describe_(executionArn);
    expect(out.status).toBe("SUCCEEDED");
    expect(JSON.parse(out.output as string)).toEqual({
      order: "o-1",
      failure: { Error: "Rejected", Cause: "too expensive" },
    });
  });

  it("a token used twice gets TaskTimedOut; garbage gets InvalidToken; bad output InvalidOutput", async () => {
    await startWaiting(approval());
    const token = tokens[0] as string;

    await expect(
      h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "not json" })),
    ).rejects.toBeInstanceOf(InvalidOutput);
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }));
    await expect(
      h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(
      h.sfn.send(new SendTaskSuccessCommand({ taskToken: "garbage", output: "{}" })),
    ).rejects.toBeInstanceOf(InvalidToken);
    await expect(
      h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: `${token.slice(0, -4)}AAAA` })),
    ).rejects.toBeInstanceOf(InvalidToken);
  });

  it("TimeoutSeconds fails the task with States.Timeout and the late token gets TaskTimedOut", async () => {
    const executionArn = await startWaiting(approval({ TimeoutSeconds: 3600 }));

    await h.clock.advance(3600 * 1000);

    const out = await describe_(executionArn);
    expect(out.status).toBe("FAILED");
    expect(out.error).toBe("States.Timeout");
    await expect(
      h.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: "{}" })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  // AWS records a missed heartbeat as States.Timeout (corpus: timeouts heartbeats cases).
  it("heartbeats keep a task alive; missing one fails it with States.Timeout", async () => {
    const executionArn = await startWaiting(
      approval({ HeartbeatSeconds: 60, TimeoutSeconds: 3600 }),
    );
    const token = tokens[0] as string;

    await h.clock.advance(50_000);
    await h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await h.clock.advance(50_000);
    expect((await describe_(executionArn)).status).toBe("RUNNING");

    await h.clock.advance(15_000);

    const out = await describe_(executionArn);
    expect(out.status).toBe("FAILED");
    expect(out.error).toBe("States.Timeout");
    await expect(
      h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });
});
