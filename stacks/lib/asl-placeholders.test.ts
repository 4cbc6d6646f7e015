import { describe, expect, it } from "vitest";
import { fillPlaceholders, findPlaceholders } from "./asl-placeholders.ts";
import { PlaceholderError } from "./errors.ts";

const definition = {
  StartAt: "A",
  States: {
    A: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Arguments: { FunctionName: "${AFunctionArn}", Payload: { note: "cost ${AFunctionArn}" } },
      Next: "B",
    },
    B: { Type: "Task", Resource: "${BFunctionArn}", End: true },
  },
};

describe("findPlaceholders", () => {
  it("lists each placeholder once, from every nesting level", () => {
    expect(findPlaceholders(definition)).toEqual(["AFunctionArn", "BFunctionArn"]);
  });

  it("ignores JSONata and JSONPath syntax that only looks similar", () => {
    expect(findPlaceholders({ a: "{% $states.input %}", b: "$.x", c: "$${x}", d: "${}" })).toEqual([
      "x",
    ]);
  });
});

describe("fillPlaceholders", () => {
  it("replaces every occurrence and leaves the original untouched", () => {
    const filled = fillPlaceholders(definition, { AFunctionArn: "arn:a", BFunctionArn: "arn:b" });
    expect(filled.States.A.Arguments).toEqual({
      FunctionName: "arn:a",
      Payload: { note: "cost arn:a" },
    });
    expect(filled.States.B.Resource).toBe("arn:b");
    expect(definition.States.B.Resource).toBe("${BFunctionArn}");
  });

  it("refuses a placeholder without a value, naming it", () => {
    const act = () => fillPlaceholders(definition, { AFunctionArn: "arn:a" });
    expect(act).toThrow(PlaceholderError);
    expect(act).toThrow(/no value for \$\{BFunctionArn\}/);
  });

  it("refuses a value without a placeholder, naming it", () => {
    const act = () =>
      fillPlaceholders(definition, { AFunctionArn: "a", BFunctionArn: "b", CFunctionArn: "c" });
    expect(act).toThrow(/no placeholder for CFunctionArn/);
  });

  it("keeps values with JSON-special characters intact", () => {
    const filled = fillPlaceholders({ x: "${V}" }, { V: 'a"b\\c' });
    expect(JSON.parse(JSON.stringify(filled))).toEqual({ x: 'a"b\\c' });
  });
});
