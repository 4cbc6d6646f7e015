/**
 * Every action of the wire API through the unchanged `@aws-sdk/client-sfn`; errors arrive as the
 * SDK's typed exceptions.
 */
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from "@aws-sdk/client-sfn";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, harness } from "./helpers.ts";

const passThrough = { StartAt: "Done", States: { Done: { Type: "Pass", End: true } } };
const waitForToken = {
  StartAt: "Approve",
  States: {
    Approve: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: "notify", Payload: { "token.$": "$$.Task.Token" } },
      End: true,
    },
  },
};

let h: Harness;
beforeEach(async () => {
  h = await harness({ functions: { notify: async () => ({}) } });
});
afterEach(async () => {
  await h.close();
});

describe("state machines", () => {
  it("creates, describes, lists, updates and deletes a state machine", async () => {
    const created = await h.sfn.send(
      new CreateStateMachineCommand({
        name: "orders",
        definition: JSON.stringify(passThrough),
        roleArn: "arn:aws:iam::123456789012:role/r",
      }),
    );
    expect(created.stateMachineArn).toBe(
      "arn:aws:states:us-east-1:123456789012:stateMachine:orders",
    );
    expect(created.creationDate).toBeInstanceOf(Date);

    const described = await h.sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(described).toMatchObject({ name: "orders", status: "ACTIVE", type: "STANDARD" });
    expect(JSON.parse(described.definition as string)).toEqual(passThrough);

    const updatedDefinition = { ...passThrough, Comment: "v2" };
    const updated = await h.sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: created.stateMachineArn,
        definition: JSON.stringify(updatedDefinition),
      }),
    );
    expect(updated.updateDate).toBeInstanceOf(Date);
    const after = await h.sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(JSON.parse(after.definition as string)).toEqual(updatedDefinition);
    // Nothing to change: AWS's MissingRequiredParameter, and nothing changes.
    await expect(
      h.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn })),
    ).rejects.toMatchObject({
      name: "MissingRequiredParameter",
      message:
        "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified",
    });

    const list = await h.sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines?.map((m) => m.name)).toEqual(["orders"]);

    await h.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    await expect(
      h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it("rejects broken definitions, bad names, duplicates and unknown resources", async () => {
    await h.machine("orders", passThrough);
    const create = (name: string, definition: unknown) =>
      h.sfn.send(
        new CreateStateMachineCommand({
          name,
          definition: typeof definition === "string" ? definition : JSON.stringify(definition),
          roleArn: "arn:aws:iam::123456789012:role/r",
        }),
      );

    await expect(create("bad-json", "{")).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(create("no-start", { States: {} })).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(
      create("unknown-resource", {
        StartAt: "T",
        States: { T: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true } },
      }),
    ).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(create("has space", passThrough)).rejects.toBeInstanceOf(InvalidName);
    await expect(create("orders", { ...passThrough, Comment: "other" })).rejects.toBeInstanceOf(
      StateMachineAlreadyExists,
    );
  });

  it("refuses .waitForTaskToken in an EXPRESS state machine", async () => {
    await expect(h.machine("express-token", waitForToken, "EXPRESS")).rejects.toBeInstanceOf(
      InvalidDefinition,
    );
  });

  it("validates definitions with AWS's diagnostics shape", async () => {
    const ok = await h.sfn.send(
      new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(passThrough) }),
    );
    const bad = await h.sfn.send(
      new ValidateStateMachineDefinitionCommand({
        definition: JSON.stringify({ StartAt: "Nowhere", States: {} }),
      }),
    );

    expect(ok.result).toBe("OK");
    expect(bad.result).toBe("FAIL");
    expect(bad.diagnostics?.[0]).toMatchObject({ severity: "ERROR", code: expect.any(String) });
  });

  it("returns AWS's warnings with severity WARNING, and only then", async () => {
    // A Parameters key that looks like a path but has no `.$`: AWS's NO_DOLLAR warning.
    const definition = JSON.stringify({
      StartAt: "P",
      States: { P: { Type: "Pass", Parameters: { id: "$.orderId" }, End: true } },
    });
    const errorsOnly = await h.sfn.send(new ValidateStateMachineDefinitionCommand({ definition }));
    const withWarnings = await h.sfn.send(
      new ValidateStateMachineDefinitionCommand({ definition, severity: "WARNING" }),
    );

    expect(errorsOnly).toMatchObject({ result: "OK", diagnostics: [] });
    expect(withWarnings.result).toBe("OK");
    expect(withWarnings.diagnostics).toEqual([
      expect.objectContaining({
        severity: "WARNING",
        code: "NO_DOLLAR",
        location: "/States/P/Parameters",
      }),
    ]);
  });
});

describe("executions", () => {
  it("starts idempotently by name and input, and refuses the same name with other input", async () => {
    const arn = await h.machine("approvals", waitForToken);
    const first = await h.sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: "order-1", input: '{"a":1}' }),
    );
    const again = await h.sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: "order-1", input: '{"a":1}' }),
    );

    expect(again.executionArn).toBe(first.executionArn);
    expect(first.executionArn).toBe(
      "arn:aws:states:us-east-1:123456789012:execution:approvals:order-1",
    );
    await expect(
      h.sfn.send(
        new StartExecutionCommand({ stateMachineArn: arn, name: "order-1", input: '{"a":2}' }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(
      h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: "not json" })),
    ).rejects.toBeInstanceOf(InvalidExecutionInput);
  });

  it("describes, lists with a status filter and pages, and stops executions", async () => {
    const waiting = await h.machine("waiting", waitForToken);
    const quick = await h.machine("quick", passThrough);
    const arns: string[] = [];
    for (let i = 0; i < 3; i++) {
      const out = await h.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: waiting,
          name: `w-${i}`,
          input: `{"i":${i}}`,
        }),
      );
      arns.push(out.executionArn as string);
    }
    const done = await h.sfn.send(
      new StartExecutionCommand({ stateMachineArn: quick, input: '{"x":"y"}' }),
    );
    await h.runtime.idle();

    const quickDescribed = await h.sfn.send(
      new DescribeExecutionCommand({ executionArn: done.executionArn }),
    );
    expect(quickDescribed).toMatchObject({
      status: "SUCCEEDED",
      output: '{"x":"y"}',
      input: '{"x":"y"}',
    });
    expect(quickDescribed.stopDate).toBeInstanceOf(Date);

    const page1 = await h.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: waiting,
        statusFilter: "RUNNING",
        maxResults: 2,
      }),
    );
    const page2 = await h.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: waiting,
        statusFilter: "RUNNING",
        maxResults: 2,
        nextToken: page1.nextToken,
      }),
    );
    expect(page1.executions).toHaveLength(2);
    expect(page2.executions).toHaveLength(1);
    expect(page2.nextToken).toBeUndefined();

    const stopped = await h.sfn.send(
      new StopExecutionCommand({ executionArn: arns[0], error: "Cancelled", cause: "by test" }),
    );
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const aborted = await h.sfn.send(new DescribeExecutionCommand({ executionArn: arns[0] }));
    expect(aborted.status).toBe("ABORTED");
    const stillRunning = await h.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: waiting, statusFilter: "RUNNING" }),
    );
    expect(stillRunning.executions).toHaveLength(2);
  });

  it("returns history with pagination, reverse order and without execution data", async () => {
    const arn = await h.machine("steps", {
      StartAt: "A",
      States: {
        A: { Type: "Pass", Result: { secret: 1 }, Next: "B" },
        B: { Type: "Pass", Next: "C" },
        C: { Type: "Succeed" },
      },
    });
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await h.runtime.idle();

    const all = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = all.events?.map((e) => e.type) ?? [];
    expect(types[0]).toBe("ExecutionStarted");
    expect(types.at(-1)).toBe("ExecutionSucceeded");
    expect(all.events?.[0]?.timestamp).toBeInstanceOf(Date);

    const first = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2 }));
    const rest = await h.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 100, nextToken: first.nextToken }),
    );
    expect([...(first.events ?? []), ...(rest.events ?? [])].map((e) => e.id)).toEqual(
      all.events?.map((e) => e.id),
    );

    const reversed = await h.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
    );
    expect(reversed.events?.map((e) => e.id)).toEqual(all.events?.map((e) => e.id).reverse());

    const noData = await h.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }),
    );
    expect(JSON.stringify(noData.events)).not.toContain("secret");
    expect(JSON.stringify(all.events)).toContain("secret");
  });

  it("runs EXPRESS executions synchronously", async () => {
    const arn = await h.machine(
      "sync",
      {
        StartAt: "P",
        States: { P: { Type: "Pass", Parameters: { "doubled.$": "$.n" }, End: true } },
      },
      "EXPRESS",
    );

    const out = await h.sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"n":2}' }),
    );

    expect(out.status).toBe("SUCCEEDED");
    expect(JSON.parse(out.output as string)).toEqual({ doubled: 2 });
    expect(out.executionArn).toContain(":express:sync:");
  });

  it("answers unknown and malformed ARNs with AWS's errors", async () => {
    await expect(
      h.sfn.send(
        new DescribeExecutionCommand({
          executionArn: "arn:aws:states:us-east-1:123456789012:execution:nope:nope",
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(
      h.sfn.send(new DescribeExecutionCommand({ executionArn: "not-an-arn" })),
    ).rejects.toBeInstanceOf(InvalidArn);
    await expect(
      h.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:missing",
        }),
      ),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});
