import { describe, expect, it } from "vitest";
import { type LintOptions, lintDefinition } from "./index.ts";

const single = (task: Record<string, unknown>, options?: LintOptions) =>
  lintDefinition(
    { StartAt: "T", States: { T: { Type: "Task", End: true, ...task }, F: { Type: "Fail" } } },
    options,
  ).filter((d) => d.code !== "UNREACHABLE_STATE");

const lambda = { Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "send" } };

describe("TASK_WITHOUT_CATCH", () => {
  it("warns on a Lambda task with no Catch, naming the state", () => {
    const [d] = single(lambda);
    expect(d).toMatchObject({
      severity: "WARNING",
      code: "TASK_WITHOUT_CATCH",
      location: "/States/T",
    });
    expect(d?.message).toContain("'T' (arn:aws:states:::lambda:invoke)");
  });

  it("is satisfied by a States.ALL Catch", () => {
    expect(single({ ...lambda, Catch: [{ ErrorEquals: ["States.ALL"], Next: "F" }] })).toEqual([]);
  });

  it("wants States.Timeout too when States.TaskFailed guards a task with a timeout", () => {
    const taskFailed = { ...lambda, Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "F" }] };
    expect(single(taskFailed)).toEqual([]);
    expect(single({ ...taskFailed, TimeoutSeconds: 5 }).map((d) => d.code)).toEqual([
      "TASK_WITHOUT_CATCH",
    ]);
    const both = {
      ...taskFailed,
      TimeoutSeconds: 5,
      Catch: [{ ErrorEquals: ["States.TaskFailed", "States.Timeout"], Next: "F" }],
    };
    expect(single(both)).toEqual([]);
  });

  it("counts a Catch that takes only some errors as missing", () => {
    const [d] = single({ ...lambda, Catch: [{ ErrorEquals: ["PaymentDeclined"], Next: "F" }] });
    expect(d?.message).toContain("does not take every error");
  });

  it("is satisfied by the Catch of an enclosing Map", () => {
    const def = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemProcessor: { StartAt: "T", States: { T: { Type: "Task", ...lambda, End: true } } },
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "F" }],
          End: true,
        },
        F: { Type: "Fail" },
      },
    };
    expect(lintDefinition(def)).toEqual([]);
  });

  it.each([
    "arn:aws:states:::dynamodb:getItem",
    "arn:aws:states:::aws-sdk:dynamodb:query",
    "arn:aws:states:::aws-sdk:s3:getObject",
    "arn:aws:states:::aws-sdk:ec2:describeInstances",
    "arn:aws:states:::aws-sdk:sfn:listExecutions",
  ])("leaves read-only integrations alone: %s", (resource) => {
    expect(single({ Resource: resource })).toEqual([]);
  });

  it.each([
    "arn:aws:states:::dynamodb:putItem",
    "arn:aws:states:::aws-sdk:s3:putObject",
    "arn:aws:states:::states:startExecution.sync",
    "arn:aws:lambda:us-east-1:123456789012:function:get-price",
    "arn:aws:states:us-east-1:123456789012:activity:review",
  ])("treats everything else as changing something: %s", (resource) => {
    expect(single({ Resource: resource }).map((d) => d.code)).toEqual(["TASK_WITHOUT_CATCH"]);
  });

  it("an HTTP Task is read-only with GET, not with POST", () => {
    const http = (Method: string) => ({
      Resource: "arn:aws:states:::http:invoke",
      Parameters: { ApiEndpoint: "https://example.com", Method },
    });
    expect(single(http("GET"))).toEqual([]);
    expect(single(http("POST")).map((d) => d.code)).toEqual(["TASK_WITHOUT_CATCH"]);
  });

  it("a Lambda marked read-only by lint:read-only, or by name, function name or ARN (globs)", () => {
    expect(single({ ...lambda, Comment: "Looks up the price. lint:read-only" })).toEqual([]);
    expect(single(lambda, { readOnly: ["T"] })).toEqual([]);
    expect(single(lambda, { readOnly: ["se*"] })).toEqual([]);
    const arn = {
      Resource: "arn:aws:lambda:us-east-1:123456789012:function:lookup-price:live",
    };
    expect(single(arn, { readOnly: ["lookup-*"] })).toEqual([]);
    expect(single(arn, { readOnly: ["other"] }).map((d) => d.code)).toEqual(["TASK_WITHOUT_CATCH"]);
  });
});
