import { describe, expect, it } from "vitest";
import { awsWarnings } from "./index.ts";

const one = (state: Record<string, unknown>) => ({
  StartAt: "S",
  States: { S: { ...state } },
});

describe("AWS's warning codes", () => {
  it("NO_DOLLAR: a template field without .$ whose value is a path, at the field, in AWS's words", () => {
    const d = awsWarnings(
      one({ Type: "Pass", Parameters: { a: "$.a", nested: { b: "$$.Execution.Id" } }, End: true }),
    );
    expect(d).toEqual([
      {
        severity: "WARNING",
        code: "NO_DOLLAR",
        location: "/States/S/Parameters",
        message:
          "The value of 'a' looks like a JSONPath. Instead of 'a', use 'a.$' to evaluate it as a JSONPath at runtime.",
      },
      expect.objectContaining({ code: "NO_DOLLAR", message: expect.stringContaining("'b.$'") }),
    ]);
  });

  it("NO_DOLLAR: intrinsic functions, in ResultSelector and ItemSelector too", () => {
    const d = awsWarnings({
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          ResultSelector: { id: "States.UUID()" },
          Next: "M",
        },
        M: {
          Type: "Map",
          ItemSelector: { item: "$$.Map.Item.Value" },
          ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    });
    expect(d.map((x) => [x.code, x.location])).toEqual([
      ["NO_DOLLAR", "/States/T/ResultSelector"],
      ["NO_DOLLAR", "/States/M/ItemSelector"],
    ]);
    expect(d[0]?.message).toContain("looks like an intrinsic function");
  });

  it("no NO_DOLLAR for .$ fields, literals, or a price like $5", () => {
    const d = awsWarnings(
      one({
        Type: "Pass",
        Parameters: { "a.$": "$.a", b: "hello", c: "$5.00", d: ["$.x"], e: 1 },
        End: true,
      }),
    );
    expect(d).toEqual([]);
  });

  it("NO_PATH: Fail Error and Cause that look like paths (AWS's example)", () => {
    const d = awsWarnings(
      one({ Type: "Fail", Error: "$.error", Cause: "States.Format('x {}', $.y)" }),
    );
    expect(d).toEqual([
      {
        severity: "WARNING",
        code: "NO_PATH",
        location: "/States/S/Error",
        message:
          "The value of 'Error' looks like a JSONPath. Instead of 'Error', use 'ErrorPath' to evaluate it as a JSONPath at runtime.",
      },
      expect.objectContaining({ code: "NO_PATH", location: "/States/S/Cause" }),
    ]);
  });

  it("NO_PATH: Choice comparisons (nested in And/Not) and Wait Timestamp", () => {
    const d = awsWarnings({
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          Choices: [
            { Variable: "$.a", StringEquals: "$.b", Next: "W" },
            { And: [{ Not: { Variable: "$.t", TimestampLessThan: "$.limit" } }], Next: "W" },
            { Variable: "$.a", StringMatches: "$.*", Next: "W" },
          ],
          Default: "W",
        },
        W: { Type: "Wait", Timestamp: "$.when", End: true },
      },
    });
    expect(d.map((x) => x.location)).toEqual([
      "/States/C/Choices/0/StringEquals",
      "/States/C/Choices/1/And/0/Not/TimestampLessThan",
      "/States/W/Timestamp",
    ]);
    expect(d[0]?.message).toContain("use 'StringEqualsPath'");
  });

  it("PASS_RESULT_IS_STATIC: .$ keys in a Pass Result (AWS's example), and a path as Result", () => {
    expect(awsWarnings(one({ Type: "Pass", Result: { "c.$": "$.c" }, End: true }))).toEqual([
      {
        severity: "WARNING",
        code: "PASS_RESULT_IS_STATIC",
        location: "/States/S/Result",
        message:
          "The value of 'c.$' will not evaluate as a JSONPath or Intrinsic Function at runtime. Instead of 'Result', use 'Parameters' to evaluate it as a JSONPath or Intrinsic Function at runtime.",
      },
    ]);
    expect(awsWarnings(one({ Type: "Pass", Result: "$.payload", End: true }))[0]?.code).toBe(
      "PASS_RESULT_IS_STATIC",
    );
    expect(awsWarnings(one({ Type: "Pass", Result: { c: "$.c" }, End: true }))).toEqual([]);
  });

  it("JSONata states get none of them: they have no .$ fields and no ...Path twins", () => {
    const d = awsWarnings({
      QueryLanguage: "JSONata",
      StartAt: "S",
      States: { S: { Type: "Fail", Error: "$.error", Cause: "$.cause" } },
    });
    expect(d).toEqual([]);
  });

  it("reaches states nested in Parallel branches and Map item processors", () => {
    const d = awsWarnings({
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [{ StartAt: "F", States: { F: { Type: "Fail", Error: "$.e" } } }],
          End: true,
        },
      },
    });
    expect(d.map((x) => x.location)).toEqual(["/States/P/Branches/0/States/F/Error"]);
  });
});
