/**
 * The engine's TestState beyond the recorded corpus (which `test/conformance` runs through the
 * wire API): JSONPath Catch with ResultPath and Assign, Choice without a match, Wait checks,
 * Map ItemSelector / mapItemReaderData / percentage thresholds, Parallel mock checks, context
 * rules, a real integration's answer, and the request checks that name the member to fix.
 */
import { describe, expect, it } from "vitest";
import { TestStateRejected, testState } from "../index.ts";
import type { Json } from "../types.ts";
import type { TestStateRequest, TestStateServices, TestStateTask } from "./types.ts";

const calls: TestStateTask[] = [];
const services = (over: Partial<TestStateServices> = {}): TestStateServices => ({
  region: "eu-west-1",
  accountId: "111122223333",
  now: Date.UTC(2026, 0, 2, 3, 4, 5),
  seed: "seed",
  canInvoke: (r) => r.startsWith("arn:aws:states:::lambda:invoke"),
  invoke: async (task) => {
    calls.push(task);
    return { output: { Payload: { echoed: task.input } } };
  },
  checkMockResult: () => undefined,
  ...over,
});
const run = (
  req: Omit<Partial<TestStateRequest>, "definition"> & { definition: unknown },
  s = services(),
) =>
  testState(
    {
      ...req,
      definition:
        typeof req.definition === "string" ? req.definition : JSON.stringify(req.definition),
    },
    s,
  );
const rejected = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(TestStateRejected);
  return e as TestStateRejected;
};

describe("Task states", () => {
  it("a JSONPath Catch applies its ResultPath and Assign and names the next state", async () => {
    const r = await run({
      definition: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Catch: [
          { ErrorEquals: ["Nope"], Next: "Other" },
          {
            ErrorEquals: ["States.TaskFailed"],
            ResultPath: "$.error",
            Assign: { "lastError.$": "$.Error" },
            Next: "Compensate",
          },
        ],
        End: true,
      },
      input: JSON.stringify({ id: 1 }),
      mock: { errorOutput: { error: "Boom", cause: "it broke" } },
      inspectionLevel: "DEBUG",
    });
    expect(r).toMatchObject({
      status: "CAUGHT_ERROR",
      nextState: "Compensate",
      error: "Boom",
      cause: "it broke",
      output: { id: 1, error: { Error: "Boom", Cause: "it broke" } },
    });
    expect(r.inspectionData?.errorDetails).toEqual({ catchIndex: 1 });
    expect(r.inspectionData?.variables).toEqual({ lastError: "Boom" });
  });

  it("States.ALL does not catch States.Runtime: a failed InputPath is FAILED", async () => {
    const r = await run({
      definition: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        InputPath: "$.missing",
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Any" }],
        End: true,
      },
      mock: { result: "{}" },
    });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toMatch(/Invalid path '\$.missing'/);
  });

  it("the back-off grows with retrierRetryCount and is capped by MaxDelaySeconds", async () => {
    const def = {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Retry: [
        {
          ErrorEquals: ["X"],
          IntervalSeconds: 3,
          BackoffRate: 2,
          MaxDelaySeconds: 20,
          MaxAttempts: 9,
        },
      ],
      End: true,
    };
    const backoff = async (count: number) =>
      (
        await run({
          definition: def,
          mock: { errorOutput: { error: "X" } },
          inspectionLevel: "DEBUG",
          stateConfiguration: { retrierRetryCount: count },
        })
      ).inspectionData?.errorDetails?.retryBackoffIntervalSeconds;
    expect(await backoff(0)).toBe(3);
    expect(await backoff(2)).toBe(12);
    expect(await backoff(3)).toBe(20);
  });

  it("without a mock, calls the integration with the effective request and role", async () => {
    calls.length = 0;
    const r = await run({
      definition: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        QueryLanguage: "JSONata",
        Arguments: { FunctionName: "f", Payload: "{% $states.input.n + 1 %}" },
        TimeoutSeconds: 5,
        Output: "{% $states.result.Payload %}",
        End: true,
      },
      roleArn: "arn:aws:iam::111122223333:role/r",
      input: JSON.stringify({ n: 41 }),
    });
    expect(r).toEqual({
      status: "SUCCEEDED",
      output: { echoed: { FunctionName: "f", Payload: 42 } },
    });
    expect(calls).toEqual([
      {
        stateName: "StateName",
        resource: "arn:aws:states:::lambda:invoke",
        input: { FunctionName: "f", Payload: 42 },
        roleArn: "arn:aws:iam::111122223333:role/r",
        timeoutSeconds: 5,
      },
    ]);
  });

  it("reports the integration's HTTP exchange at TRACE only", async () => {
    const trace = { request: { method: "GET", url: "https://x" }, response: { statusCode: "200" } };
    const s = services({
      canInvoke: () => true,
      invoke: async () => ({ output: { StatusCode: 200 }, trace }),
    });
    const def = { Type: "Task", Resource: "arn:aws:states:::http:invoke", End: true };
    const roleArn = "arn:aws:iam::111122223333:role/r";
    const traced = await run({ definition: def, roleArn, inspectionLevel: "TRACE" }, s);
    expect(traced.inspectionData).toMatchObject(trace);
    const debug = await run({ definition: def, roleArn, inspectionLevel: "DEBUG" }, s);
    expect(debug.inspectionData?.request).toBeUndefined();
    expect(debug.inspectionData?.response).toBeUndefined();
  });

  it("the default context is an Express-style execution with the role and a StateName state", async () => {
    const r = await run({
      definition: {
        Type: "Task",
        Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        Parameters: { "ctx.$": "$$" },
        ResultPath: "$.r",
        End: true,
      },
      roleArn: "arn:aws:iam::111122223333:role/r",
      mock: { result: "{}" },
      inspectionLevel: "DEBUG",
      stateConfiguration: { retrierRetryCount: 2 },
    });
    type Ctx = { ctx: Record<string, Record<string, Json>> };
    const { ctx } = (r.inspectionData?.afterParameters ?? {}) as Ctx;
    expect(ctx.Execution?.Id).toMatch(
      /^arn:aws:states:eu-west-1:111122223333:express:[\w-]+:[\w-]+$/,
    );
    expect(ctx.Execution?.RoleArn).toBe("arn:aws:iam::111122223333:role/r");
    expect(ctx.Execution?.StartTime).toBe("2026-01-02T03:04:05.000Z");
    expect(ctx.State).toEqual({
      Name: "StateName",
      EnteredTime: "2026-01-02T03:04:05.000Z",
      RetryCount: 2,
    });
    expect(typeof ctx.Task?.Token).toBe("string");
  });
});

describe("other state types", () => {
  it("a Choice without a match or Default fails with States.NoChoiceMatched", async () => {
    const r = await run({
      definition: { Type: "Choice", Choices: [{ Variable: "$.a", NumericEquals: 1, Next: "One" }] },
      input: JSON.stringify({ a: 2 }),
    });
    expect(r).toEqual({ status: "FAILED", error: "States.NoChoiceMatched", cause: "No Matches!" });
  });

  it("a Wait moves on at once and checks its SecondsPath", async () => {
    const def = { Type: "Wait", SecondsPath: "$.s", Next: "After" };
    expect(await run({ definition: def, input: '{"s": 86400}' })).toEqual({
      status: "SUCCEEDED",
      output: { s: 86400 },
      nextState: "After",
    });
    const bad = await run({ definition: def, input: '{"s": "soon"}' });
    expect(bad.status).toBe("FAILED");
    expect(bad.error).toBe("States.Runtime");
  });

  it("a Fail state's error is not caught (it has no Catch) and reports its ErrorPath", async () => {
    const r = await run({
      definition: { Type: "Fail", ErrorPath: "$.code", Cause: "bad" },
      input: '{"code": "E42"}',
    });
    expect(r).toEqual({ status: "FAILED", error: "E42", cause: "bad" });
  });
});

describe("Map and Parallel (mocked)", () => {
  it("reports ItemsPath and ItemSelector per item, and applies ResultPath", async () => {
    const r = await run({
      definition: {
        Type: "Map",
        ItemsPath: "$.items",
        ItemSelector: { "sku.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index" },
        ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
        ResultPath: "$.done",
        End: true,
      },
      input: JSON.stringify({ items: ["a", "b"] }),
      mock: { result: "[1, 2]" },
      inspectionLevel: "DEBUG",
    });
    expect(r.output).toEqual({ items: ["a", "b"], done: [1, 2] });
    expect(r.inspectionData).toMatchObject({
      afterItemsPath: ["a", "b"],
      afterItemSelector: [
        { sku: "a", i: 0 },
        { sku: "b", i: 1 },
      ],
      maxConcurrency: 0,
    });
  });

  it("ToleratedFailurePercentage is checked against the mocked iterations", async () => {
    const def = {
      Type: "Map",
      ToleratedFailurePercentage: 50,
      ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      End: true,
    };
    const at = (failures: number) =>
      run({
        definition: def,
        input: "[1,2,3,4]",
        mock: { result: "[1,2,3,4]" },
        stateConfiguration: { mapIterationFailureCount: failures },
      });
    expect((await at(2)).status).toBe("SUCCEEDED");
    expect(await at(3)).toEqual({
      status: "FAILED",
      error: "States.ExceedToleratedFailureThreshold",
      cause: "The specified tolerated failure threshold was exceeded",
    });
  });

  it("reads items from mapItemReaderData (CSV with a header row)", async () => {
    const r = await run({
      definition: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
          Parameters: { Bucket: "b", Key: "k.csv" },
        },
        ItemSelector: { "row.$": "$$.Map.Item.Value" },
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "P",
          States: { P: { Type: "Pass", End: true } },
        },
        End: true,
      },
      mock: { result: "[0, 0]" },
      stateConfiguration: { mapItemReaderData: 'sku,qty\nMUG,2\n"TEE, XL",1\n' },
      inspectionLevel: "DEBUG",
    });
    expect(r.inspectionData?.afterItemSelector).toEqual([
      { row: { sku: "MUG", qty: "2" } },
      { row: { sku: "TEE, XL", qty: "1" } },
    ]);
  });

  it("a Parallel mock has one result per branch", async () => {
    const e = await rejected(
      run({
        definition: {
          Type: "Parallel",
          Branches: [{ StartAt: "A", States: { A: { Type: "Pass", End: true } } }],
          End: true,
        },
        mock: { result: "[1, 2]" },
      }),
    );
    expect(e.code).toBe("ValidationException");
    expect(e.message).toMatch(/one item per branch: 1 branches, 2 items/);
  });

  it("errorCausedByState must name a state inside the Map", async () => {
    const e = await rejected(
      run({
        definition: {
          Type: "Map",
          ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
          End: true,
        },
        mock: { errorOutput: { error: "E" } },
        stateConfiguration: { errorCausedByState: "Q" },
      }),
    );
    expect(e.message).toBe(
      "ErrorCausedByState 'Q' is not a state of the Map state's ItemProcessor.",
    );
  });
});

describe("request checks", () => {
  it("a context needs a mock", async () => {
    const e = await rejected(run({ definition: { Type: "Pass", End: true }, context: "{}" }));
    expect(e.message).toBe("TestState does not support Context when a mock is not specified.");
  });

  it("names the member and the allowed values of an enum", async () => {
    const e = await rejected(
      run({ definition: { Type: "Pass", End: true }, inspectionLevel: "LOUD" as never }),
    );
    expect(e.message).toBe(
      "1 validation error detected: Value 'LOUD' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]",
    );
  });

  it("rejects input that is not JSON, naming it", async () => {
    const e = await rejected(run({ definition: { Type: "Pass", End: true }, input: "{nope" }));
    expect(e.message).toMatch(/^The input is not valid JSON text/);
  });

  it("reports a definition that is not JSON as InvalidDefinition", async () => {
    const e = await rejected(run({ definition: "{" }));
    expect(e.code).toBe("InvalidDefinition");
    expect(e.message).toMatch(/^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /);
  });

  it("passes the mock shape check the runtime's answer", async () => {
    const e = await rejected(
      run(
        {
          definition: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true },
          mock: { result: "{}" },
        },
        services({ checkMockResult: () => "Mock result schema validation error: nope" }),
      ),
    );
    expect(e.message).toBe("Mock result schema validation error: nope");
    // NONE skips the check.
    const r = await run(
      {
        definition: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true },
        mock: { result: "{}", fieldValidationMode: "NONE" },
      },
      services({ checkMockResult: () => "never" }),
    );
    expect(r.status).toBe("SUCCEEDED");
  });
});
