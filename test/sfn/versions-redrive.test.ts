/**
 * Probe: an unchanged `@aws-sdk/client-sfn` calls every version, alias and redrive operation of
 * the local runtime's wire API in the order a user would — publish versions, route an alias by
 * weight (deterministic under a seeded random), run a payment that fails until its cause is
 * fixed and redrive it to success — and meets AWS's recorded errors on the way.
 */
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand,
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachineAliasesCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextRandom, seedPrng } from "../../local/asl/prng.ts";
import { type Harness, harness } from "./helpers.ts";

const FN = "arn:aws:lambda:us-east-1:123456789012:function:";
const ROLE = "arn:aws:iam::123456789012:role/test";

class CardDeclined extends Error {
  override name = "CardDeclined";
}

const payment = (comment: string) =>
  JSON.stringify({
    Comment: comment,
    StartAt: "Reserve",
    States: {
      Reserve: { Type: "Pass", Result: "reserved", ResultPath: "$.stock", Next: "Charge" },
      Charge: { Type: "Task", Resource: `${FN}charge`, ResultPath: "$.charge", End: true },
    },
  });

/** The draws the runtime's routing makes, from the same seed. */
function seeded(seed: string) {
  const state = seedPrng(seed);
  return () => nextRandom(state);
}

let h: Harness;
let providerUp = false;
const charges: unknown[] = [];

beforeAll(async () => {
  h = await harness({
    random: seeded("alias-routing"),
    functions: {
      charge: async (event) => {
        charges.push(event);
        if (!providerUp) throw new CardDeclined("the payment provider is down");
        return { charged: true };
      },
    },
  });
});
afterAll(() => h.close());

describe("versions, aliases and redrive through @aws-sdk/client-sfn", () => {
  let machineArn: string;
  let v1: string;
  let v2: string;
  let aliasArn: string;

  it("publishes a version on create and on update, idempotently", async () => {
    const created = await h.sfn.send(
      new CreateStateMachineCommand({
        name: "payments",
        definition: payment("v1"),
        roleArn: ROLE,
        publish: true,
        versionDescription: "first",
      }),
    );
    machineArn = created.stateMachineArn as string;
    v1 = created.stateMachineVersionArn as string;
    expect(v1).toBe(`${machineArn}:1`);

    const updated = await h.sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: machineArn,
        definition: payment("v2"),
        publish: true,
      }),
    );
    v2 = updated.stateMachineVersionArn as string;
    expect(v2).toBe(`${machineArn}:2`);
    expect(updated.revisionId).toMatch(/^[0-9a-f-]{36}$/);

    const again = await h.sfn.send(
      new PublishStateMachineVersionCommand({ stateMachineArn: machineArn }),
    );
    expect(again.stateMachineVersionArn).toBe(v2);

    const versions = await h.sfn.send(
      new ListStateMachineVersionsCommand({ stateMachineArn: machineArn }),
    );
    expect(versions.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([v2, v1]);

    const first = await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: v1 }));
    expect(first).toMatchObject({ stateMachineArn: v1, description: "first", status: "ACTIVE" });
    expect(JSON.parse(first.definition as string).Comment).toBe("v1");
    expect(first.revisionId).toBeUndefined(); // published from the first revision
  });

  it("routes starts through a weighted alias by its weights", async () => {
    const created = await h.sfn.send(
      new CreateStateMachineAliasCommand({
        name: "live",
        description: "canary",
        routingConfiguration: [
          { stateMachineVersionArn: v1, weight: 70 },
          { stateMachineVersionArn: v2, weight: 30 },
        ],
      }),
    );
    aliasArn = created.stateMachineAliasArn as string;
    expect(aliasArn).toBe(`${machineArn}:live`);
    providerUp = true;

    const expected = seeded("alias-routing");
    const ran: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { executionArn } = await h.sfn.send(
        new StartExecutionCommand({ stateMachineArn: aliasArn, input: "{}" }),
      );
      await h.runtime.waitForExecution(executionArn as string);
      const d = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(d).toMatchObject({ status: "SUCCEEDED", stateMachineAliasArn: aliasArn });
      expect(d.stateMachineVersionArn).toBe(expected() * 100 < 70 ? v1 : v2);
      ran.push(d.stateMachineVersionArn as string);
    }
    expect(new Set(ran)).toEqual(new Set([v1, v2]));

    const listed = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: aliasArn }));
    expect(listed.executions).toHaveLength(20);
    const ofV2 = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: v2 }));
    expect(ofV2.executions).toHaveLength(ran.filter((v) => v === v2).length);
    expect(ofV2.executions?.[0]).toMatchObject({ stateMachineVersionArn: v2, redriveCount: 0 });
  });

  it("describes, updates and lists the alias", async () => {
    const updated = await h.sfn.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn: aliasArn,
        description: "all on v2",
        routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }],
      }),
    );
    expect(updated.updateDate).toBeInstanceOf(Date);
    const alias = await h.sfn.send(
      new DescribeStateMachineAliasCommand({ stateMachineAliasArn: aliasArn }),
    );
    expect(alias).toMatchObject({
      stateMachineAliasArn: aliasArn,
      name: "live",
      description: "all on v2",
      routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }],
    });
    const listed = await h.sfn.send(
      new ListStateMachineAliasesCommand({ stateMachineArn: machineArn }),
    );
    expect(listed.stateMachineAliases?.map((a) => a.stateMachineAliasArn)).toEqual([aliasArn]);
    const ofV1 = await h.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: v1 }));
    expect(ofV1.stateMachineAliases).toEqual([]);
  });

  it("redrives a failed execution to success once its cause is fixed", async () => {
    providerUp = false;
    const { executionArn } = await h.sfn.send(
      new StartExecutionCommand({ stateMachineArn: aliasArn, name: "order-42", input: '{"o":42}' }),
    );
    await h.runtime.waitForExecution(executionArn as string);
    const failed = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(failed).toMatchObject({
      status: "FAILED",
      error: "CardDeclined",
      redriveCount: 0,
      redriveStatus: "REDRIVABLE",
    });

    providerUp = true;
    const { redriveDate } = await h.sfn.send(new RedriveExecutionCommand({ executionArn }));
    expect(redriveDate).toBeInstanceOf(Date);
    await h.runtime.waitForExecution(executionArn as string);

    const done = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(done).toMatchObject({
      executionArn,
      status: "SUCCEEDED",
      redriveCount: 1,
      redriveStatus: "NOT_REDRIVABLE",
      redriveStatusReason: "Execution is SUCCEEDED and cannot be redriven",
      stateMachineAliasArn: aliasArn,
      stateMachineVersionArn: v2,
    });
    expect(done.redriveDate).toEqual(redriveDate);
    expect(JSON.parse(done.output as string)).toEqual({
      o: 42,
      stock: "reserved",
      charge: { charged: true },
    });
    const history = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = history.events?.map((e) => e.type);
    expect(types?.filter((t) => t === "PassStateEntered")).toHaveLength(1);
    expect(
      types?.slice(types.indexOf("ExecutionFailed"), types.indexOf("ExecutionFailed") + 3),
    ).toEqual(["ExecutionFailed", "ExecutionRedriven", "TaskStateEntered"]);
    expect(history.events?.find((e) => e.type === "ExecutionRedriven")).toMatchObject({
      executionRedrivenEventDetails: { redriveCount: 1 },
    });
    const redriven = await h.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn, redriveFilter: "REDRIVEN" }),
    );
    expect(redriven.executions?.map((e) => e.executionArn)).toEqual([executionArn]);
    expect(redriven.executions?.[0]?.redriveDate).toEqual(redriveDate);
  });

  it("keeps a version an alias routes to, then deletes versions, alias and machine", async () => {
    await expect(
      h.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v2 })),
    ).rejects.toMatchObject({
      name: "ConflictException",
      message:
        "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [live]",
    });
    await h.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v1 }));
    await h.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v1 }));
    const versions = await h.sfn.send(
      new ListStateMachineVersionsCommand({ stateMachineArn: machineArn }),
    );
    expect(versions.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([v2]);
    await expect(
      h.sfn.send(new StartExecutionCommand({ stateMachineArn: v1 })),
    ).rejects.toMatchObject({ name: "StateMachineDoesNotExist" });

    await h.sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: aliasArn }));
    await h.sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: aliasArn }));
    const aliases = await h.sfn.send(
      new ListStateMachineAliasesCommand({ stateMachineArn: machineArn }),
    );
    expect(aliases.stateMachineAliases).toEqual([]);
    await expect(
      h.sfn.send(
        new UpdateStateMachineAliasCommand({ stateMachineAliasArn: aliasArn, description: "x" }),
      ),
    ).rejects.toMatchObject({
      name: "ResourceNotFound",
      message: "Request references a resource that does not exist.",
    });

    // A version number is never given again, even after its version was deleted.
    const v3 = await h.sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: machineArn,
        definition: payment("v3"),
        publish: true,
      }),
    );
    expect(v3.stateMachineVersionArn).toBe(`${machineArn}:3`);
    await h.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: machineArn }));
    await expect(
      h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${machineArn}:3` })),
    ).rejects.toMatchObject({ name: "StateMachineDoesNotExist" });
  });
});

describe("AWS's recorded errors", () => {
  const expectError = (p: Promise<unknown>, name: string, message: string) =>
    expect(p).rejects.toMatchObject({ name, message });

  it("answers as AWS recorded for versions and aliases", async () => {
    const created = await h.sfn.send(
      new CreateStateMachineCommand({
        name: "recorded",
        definition: payment("r"),
        roleArn: ROLE,
        publish: true,
      }),
    );
    const arn = created.stateMachineArn as string;
    const v = created.stateMachineVersionArn as string;

    await expectError(
      h.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: "invalid_arn" })),
      "InvalidArn",
      "Invalid Arn: 'Invalid ARN prefix: invalid_arn'",
    );
    await expectError(
      h.sfn.send(
        new CreateStateMachineCommand({
          name: "described",
          definition: payment("d"),
          roleArn: ROLE,
          versionDescription: "HelloWorld!",
        }),
      ),
      "ValidationException",
      "Version description can only be set when publish is true",
    );
    await expectError(
      h.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: v, definition: payment("x") })),
      "StateMachineDoesNotExist",
      `State Machine Does Not Exist: '${v}'`,
    );
    await expectError(
      h.sfn.send(
        new CreateStateMachineAliasCommand({
          name: "a",
          routingConfiguration: [{ stateMachineVersionArn: arn, weight: 100 }],
        }),
      ),
      "ValidationException",
      `Routing configuration must contain state machine version ARNs. Received: [${arn}]`,
    );
    await expectError(
      h.sfn.send(
        new CreateStateMachineAliasCommand({
          name: "a",
          routingConfiguration: [
            { stateMachineVersionArn: v, weight: 50 },
            { stateMachineVersionArn: v, weight: 50 },
          ],
        }),
      ),
      "ValidationException",
      `Routing configuration must contain distinct state machine version ARNs. Received: [${v}, ${v}]`,
    );
    await expectError(
      h.sfn.send(
        new CreateStateMachineAliasCommand({
          name: "a",
          routingConfiguration: [{ stateMachineVersionArn: v, weight: 101 }],
        }),
      ),
      "ValidationException",
      "1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    await expectError(
      h.sfn.send(
        new CreateStateMachineAliasCommand({
          name: "INVALID ALIAS",
          routingConfiguration: [{ stateMachineVersionArn: v, weight: 100 }],
        }),
      ),
      "ValidationException",
      "1 validation error detected: Value 'INVALID ALIAS' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$",
    );
    await expectError(
      h.sfn.send(
        new CreateStateMachineAliasCommand({
          name: "123",
          routingConfiguration: [{ stateMachineVersionArn: v, weight: 100 }],
        }),
      ),
      "ValidationException",
      "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$",
    );

    const alias = {
      name: "prod",
      routingConfiguration: [{ stateMachineVersionArn: v, weight: 100 }],
    };
    const first = await h.sfn.send(new CreateStateMachineAliasCommand(alias));
    const second = await h.sfn.send(new CreateStateMachineAliasCommand(alias));
    expect(second).toEqual({ ...first, $metadata: second.$metadata });
    await expectError(
      h.sfn.send(new CreateStateMachineAliasCommand({ ...alias, description: "different" })),
      "ConflictException",
      "Failed to create alias because an alias with the same name and a different routing configuration already exists.",
    );

    const r1 = await h.sfn.send(
      new UpdateStateMachineCommand({ stateMachineArn: arn, definition: payment("r1") }),
    );
    await h.sfn.send(
      new UpdateStateMachineCommand({ stateMachineArn: arn, definition: payment("r2") }),
    );
    const current = await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    await expectError(
      h.sfn.send(
        new PublishStateMachineVersionCommand({ stateMachineArn: arn, revisionId: r1.revisionId }),
      ),
      "ConflictException",
      `Failed to publish the State Machine version for revision ${r1.revisionId}. The current State Machine revision is ${current.revisionId}.`,
    );
    // An update that changes nothing makes no revision: publishing twice gives one version.
    const same = await h.sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: arn,
        definition: payment("r2"),
        publish: true,
      }),
    );
    expect(same.revisionId).toBeUndefined();
    const twice = await h.sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: arn,
        definition: payment("r2"),
        publish: true,
      }),
    );
    expect(twice.stateMachineVersionArn).toBe(same.stateMachineVersionArn);
  });

  it("refuses to redrive what AWS does not redrive", async () => {
    const { stateMachineArn } = await h.sfn.send(
      new CreateStateMachineCommand({
        name: "quick",
        definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }),
        roleArn: ROLE,
      }),
    );
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    await h.runtime.waitForExecution(executionArn as string);
    await expect(h.sfn.send(new RedriveExecutionCommand({ executionArn }))).rejects.toMatchObject({
      name: "ExecutionNotRedrivable",
    });
    await expect(
      h.sfn.send(new RedriveExecutionCommand({ executionArn: `${executionArn}-nope` })),
    ).rejects.toMatchObject({ name: "ExecutionDoesNotExist" });
  });
});
