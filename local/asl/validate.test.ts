import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPORA } from "../../test/conformance/corpora.ts";
import type { CompileOptions, Diagnostic, JsonObject } from "./types.ts";
import { validateDefinition } from "./validate.ts";

const CORPUS = CORPORA.pure;

function errors(definition: unknown, options?: CompileOptions): Diagnostic[] {
  return validateDefinition(definition, options).filter((d) => d.severity === "ERROR");
}

/** A one-state machine whose only state is `state`, named `S`. */
function single(state: JsonObject, top: JsonObject = {}): JsonObject {
  return { ...top, StartAt: "S", States: { S: state } };
}

const pass = { Type: "Pass", End: true };
const task = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true };

interface BrokenCase {
  kind: string;
  definition: unknown;
  options?: CompileOptions;
  code: string;
  location: string;
  message: RegExp;
}

const broken: BrokenCase[] = [
  {
    kind: "missing StartAt",
    definition: { States: { S: pass } },
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/StartAt",
    message: /required: \[StartAt\]/,
  },
  {
    kind: "StartAt naming an unknown state",
    definition: { StartAt: "Nope", States: { S: pass } },
    code: "MISSING_TRANSITION_TARGET",
    location: "/StartAt",
    message: /'Nope'.*use one of 'S'/,
  },
  {
    kind: "Next to an unknown state",
    definition: { StartAt: "S", States: { S: { Type: "Pass", Next: "Missing" } } },
    code: "MISSING_TRANSITION_TARGET",
    location: "/States/S/Next",
    message: /'Missing' is not a state/,
  },
  {
    kind: "a state with neither Next nor End",
    definition: single({ Type: "Pass" }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S",
    message: /exactly one of Next .* or "End": true/,
  },
  {
    kind: "a state with both Next and End",
    definition: { StartAt: "S", States: { S: { Type: "Pass", Next: "T", End: true }, T: pass } },
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S",
    message: /both Next and End/,
  },
  {
    kind: "an unreachable state",
    definition: { StartAt: "S", States: { S: pass, Orphan: pass } },
    code: "UNREACHABLE_STATE",
    location: "/States/Orphan",
    message: /not reachable from StartAt 'S'/,
  },
  {
    kind: "Choice without Choices",
    definition: single({ Type: "Choice", Default: "S" }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Choices",
    message: /required: \[Choices\]/,
  },
  {
    kind: "a Choice rule without Next",
    definition: {
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Variable: "$.x", StringEquals: "a" }], Default: "S" },
        S: pass,
      },
    },
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/C/Choices/0/Next",
    message: /required: \[Next\]/,
  },
  {
    kind: "a Choice rule with an unknown comparison operator",
    definition: {
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Variable: "$.x", StringEqualz: "a", Next: "S" }] },
        S: pass,
      },
    },
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/C/Choices/0/StringEqualz",
    message: /did you mean 'StringEquals'/,
  },
  {
    kind: "a comparison value of the wrong type",
    definition: {
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: "5", Next: "S" }] },
        S: pass,
      },
    },
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/C/Choices/0/NumericEquals",
    message: /needs a number value/,
  },
  {
    kind: "both JSONPath and JSONata fields in one state",
    definition: single({ Type: "Pass", Parameters: { a: 1 }, Output: { a: 1 }, End: true }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Output",
    message: /mixes JSONata field 'Output' with JSONPath field\(s\) Parameters/,
  },
  {
    kind: "a JSONPath field in a JSONata state",
    definition: single({ Type: "Pass", QueryLanguage: "JSONata", Parameters: { a: 1 }, End: true }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Parameters",
    message: /JSONPath-only .* use Arguments/,
  },
  {
    kind: "bad JSONPath syntax",
    definition: single({ Type: "Pass", InputPath: "$.items[", End: true }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/InputPath",
    message: /must be a valid JSONPath: '\$.items\['/,
  },
  {
    kind: "a ResultPath with a filter",
    definition: single({ Type: "Pass", ResultPath: "$..x", End: true }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/ResultPath",
    message: /only simple paths/,
  },
  {
    kind: "a JSONata syntax error in {% %}",
    definition: single(
      { Type: "Pass", Output: "{% $states.input.( %}", End: true },
      { QueryLanguage: "JSONata" },
    ),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Output",
    message: /JSONata expression in the field 'Output' is invalid/,
  },
  {
    kind: "$eval, which AWS's JSONata lacks",
    definition: single(
      { Type: "Pass", Output: "{% $eval('1+1') %}", End: true },
      { QueryLanguage: "JSONata" },
    ),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Output",
    message: /use \$parse/,
  },
  {
    kind: "an unknown intrinsic function",
    definition: single({
      Type: "Pass",
      Parameters: { "x.$": "States.Compare($.a, $.b)" },
      End: true,
    }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Parameters",
    message: /'x.\$' must be a valid JSONPath or a valid intrinsic function call/,
  },
  {
    kind: "wrong intrinsic arity",
    definition: single({
      Type: "Pass",
      Parameters: { "r.$": "States.ArrayRange(1, 5)" },
      End: true,
    }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Parameters",
    message: /'r.\$' must be a valid JSONPath or a valid intrinsic function call/,
  },
  {
    kind: "a .$ value that is neither a path nor an intrinsic",
    definition: single({ Type: "Pass", Parameters: { "x.$": "hello" }, End: true }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Parameters/x.$",
    message: /valid JSONPath or a valid intrinsic function/,
  },
  {
    kind: "Retry on a Pass state",
    definition: single({ Type: "Pass", End: true, Retry: [{ ErrorEquals: ["States.ALL"] }] }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Retry",
    message: /not supported by Pass states; only Task, Parallel and Map/,
  },
  {
    kind: "Catch without Next",
    definition: single({ ...task, Catch: [{ ErrorEquals: ["States.ALL"] }] }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Catch/0/Next",
    message: /required: \[Next\]/,
  },
  {
    kind: "States.ALL not last in Retry",
    definition: single({
      ...task,
      Retry: [{ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["States.Timeout"] }],
    }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Retry/0/ErrorEquals",
    message: /must be in the last retrier/,
  },
  {
    kind: "States.ALL not alone in Catch",
    definition: {
      StartAt: "S",
      States: { S: { ...task, Catch: [{ ErrorEquals: ["States.ALL", "X"], Next: "H" }] }, H: pass },
    },
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Catch/0/ErrorEquals",
    message: /must appear alone/,
  },
  {
    kind: "a BackoffRate below 1",
    definition: single({ ...task, Retry: [{ ErrorEquals: ["X"], BackoffRate: 0.5 }] }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Retry/0/BackoffRate",
    message: /at least 1/,
  },
  {
    kind: "Wait with two of Seconds/Timestamp/SecondsPath/TimestampPath",
    definition: single({ Type: "Wait", Seconds: 5, Timestamp: "2026-01-01T00:00:00Z", End: true }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Timestamp",
    message: /sets Seconds and Timestamp; they are mutually exclusive/,
  },
  {
    kind: "Wait with none of them",
    definition: single({ Type: "Wait", End: true }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S",
    message: /exactly one of Seconds, Timestamp, SecondsPath, TimestampPath/,
  },
  {
    kind: "Map without ItemProcessor/Iterator",
    definition: single({ Type: "Map", End: true }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/ItemProcessor",
    message: /required: \[ItemProcessor\]/,
  },
  {
    kind: "Parallel with empty Branches",
    definition: single({ Type: "Parallel", Branches: [], End: true }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Branches",
    message: /^Value cannot be empty$/,
  },
  {
    kind: "Parallel without Branches",
    definition: single({ Type: "Parallel", End: true }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Branches",
    message: /required: \[Branches\]/,
  },
  {
    kind: "Fail with both Cause and CausePath",
    definition: single({ Type: "Fail", Cause: "x", CausePath: "$.c" }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/CausePath",
    message: /Cause and CausePath; they are mutually exclusive/,
  },
  {
    kind: "TimeoutSeconds of 0",
    definition: single({ ...task, TimeoutSeconds: 0 }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/TimeoutSeconds",
    message: /greater than 0/,
  },
  {
    kind: "HeartbeatSeconds not below TimeoutSeconds",
    definition: single({ ...task, TimeoutSeconds: 30, HeartbeatSeconds: 30 }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/HeartbeatSeconds",
    message: /HeartbeatSeconds \(30\) must be smaller than TimeoutSeconds \(30\)/,
  },
  {
    kind: "a Task with no Resource",
    definition: single({ Type: "Task", End: true }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Resource",
    message: /required: \[Resource\]/,
  },
  {
    kind: "an unknown state Type",
    definition: single({ Type: "Sleep", End: true }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Type",
    message:
      /^The field 'Type' should have one of these values: \[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map\]$/,
  },
  {
    kind: "a JSONPath state in a JSONata state machine",
    definition: single({ ...pass, QueryLanguage: "JSONPath" }, { QueryLanguage: "JSONata" }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/QueryLanguage",
    message: /top-level QueryLanguage is JSONata, which does not allow JSONPath states/,
  },
  {
    kind: "an unknown Task resource",
    definition: single({ ...task, Resource: "arn:aws:states:::sqs:sendMessage" }),
    options: { isKnownResource: (r) => r.startsWith("arn:aws:states:::lambda:") },
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Resource",
    message: /sqs:sendMessage is not recognized/,
  },
  {
    kind: ".waitForTaskToken in an EXPRESS machine",
    definition: single({ ...task, Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken" }),
    options: { type: "EXPRESS" },
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Resource",
    message: /Express state machine does not support '.waitForTaskToken' service integration/,
  },
  {
    kind: "a bad Next inside a Parallel branch",
    definition: single({
      Type: "Parallel",
      End: true,
      Branches: [{ StartAt: "B1", States: { B1: { Type: "Pass", Next: "Nowhere" } } }],
    }),
    code: "MISSING_TRANSITION_TARGET",
    location: "/States/S/Branches/0/States/B1/Next",
    message: /can only move to states in its own scope/,
  },
  {
    kind: "Retry on a Pass state inside a Map's ItemProcessor",
    definition: single({
      Type: "Map",
      End: true,
      ItemProcessor: { StartAt: "I", States: { I: { ...pass, Retry: [{ ErrorEquals: ["X"] }] } } },
    }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/ItemProcessor/States/I/Retry",
    message: /not supported by Pass states/,
  },
  {
    kind: "a duplicate state name across scopes",
    definition: single({
      Type: "Parallel",
      End: true,
      Branches: [{ StartAt: "S", States: { S: pass } }],
    }),
    code: "DUPLICATE_STATE_NAME",
    location: "/States/S/Branches/0/States/S",
    message: /unique across the whole definition/,
  },
  {
    kind: "Next on a Choice state",
    definition: {
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          Next: "S",
          Choices: [{ Variable: "$.x", IsPresent: true, Next: "S" }],
        },
        S: pass,
      },
    },
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/C/Next",
    message: /not supported by Choice states; give each Choice rule a Next/,
  },
  {
    kind: "an invalid ErrorPath on a Fail state",
    definition: single({ Type: "Fail", ErrorPath: "$.a b" }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/ErrorPath",
    message: /valid JSONPath or a valid intrinsic/,
  },
  {
    kind: "an invalid variable name in Assign",
    definition: single({ ...pass, Assign: { "1st": 1 } }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/Assign/1st",
    message: /not a valid variable name/,
  },
  {
    kind: "an unknown top-level field",
    definition: { ...single(pass), Startat: "S" },
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/Startat",
    message: /not supported at the top of the state machine/,
  },
  {
    kind: "a field type only asl-validator's schema knows (backstop)",
    definition: single({
      Type: "Map",
      End: true,
      ItemProcessor: { StartAt: "I", States: { I: pass } },
      ItemBatcher: { MaxItemsPerBatch: "ten" },
    }),
    code: "SCHEMA_VALIDATION_FAILED",
    location: "/States/S/ItemBatcher/MaxItemsPerBatch",
    message: /must be integer/,
  },
  {
    kind: "a definition that is not JSON",
    definition: '{"StartAt": "S",',
    code: "INVALID_JSON_DESCRIPTION",
    location: "",
    message: /not valid JSON/,
  },
];

describe("validateDefinition: broken definitions", () => {
  it("covers at least 20 kinds", () => {
    expect(new Set(broken.map((b) => b.kind)).size).toBeGreaterThanOrEqual(20);
  });

  it.each(broken)(
    "reports $kind at $location",
    ({ definition, options, code, location, message }) => {
      const found = errors(definition, options);
      expect(found).toContainEqual(
        expect.objectContaining({
          severity: "ERROR",
          code,
          location,
          message: expect.stringMatching(message),
        }),
      );
    },
  );
});

describe("validateDefinition: warnings", () => {
  it("warns when a JSONPath state holds a {% %} expression, which stays literal", () => {
    const found = validateDefinition(single({ ...pass, Parameters: { a: "{% 1 + 1 %}" } }));
    expect(found).toEqual([
      expect.objectContaining({
        severity: "WARNING",
        code: "JSONATA_IN_JSONPATH_STATE",
        location: "/States/S/Parameters/a",
      }),
    ]);
  });

  it("warns when a JSONata state uses a '.$' key, which has no meaning there", () => {
    const found = validateDefinition(
      single({ ...pass, Output: { "a.$": "$.x" } }, { QueryLanguage: "JSONata" }),
    );
    expect(found).toEqual([
      expect.objectContaining({
        severity: "WARNING",
        code: "JSONPATH_SUFFIX_IN_JSONATA_STATE",
        location: "/States/S/Output/a.$",
      }),
    ]);
  });
});

describe("validateDefinition: valid definitions", () => {
  it("accepts a JSONata state in a JSONPath state machine", () => {
    const def = {
      StartAt: "S",
      States: {
        S: { Type: "Pass", QueryLanguage: "JSONata", Output: "{% $states.input %}", End: true },
      },
    };
    expect(validateDefinition(def)).toEqual([]);
  });

  it("accepts a waitForTaskToken task in a STANDARD machine with known resources", () => {
    const def = single({
      ...task,
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      TimeoutSeconds: 3600,
      HeartbeatSeconds: 60,
      Retry: [
        { ErrorEquals: ["Lambda.ServiceException"], MaxAttempts: 2 },
        { ErrorEquals: ["States.ALL"] },
      ],
      Parameters: { "token.$": "$$.Task.Token", "id.$": "States.UUID()" },
    });
    expect(validateDefinition(def, { type: "STANDARD", isKnownResource: () => true })).toEqual([]);
  });

  it("does not modify the definition it checks", () => {
    const def = single({ Type: "Pass", End: true });
    const copy = structuredClone(def);
    validateDefinition(def);
    expect(def).toEqual(copy);
  });

  const files = readdirSync(CORPUS).filter((f) => f.endsWith(".json") && !f.startsWith("_"));

  it("finds no error in any AWS-recorded corpus definition (AWS ran them all)", () => {
    const flagged = files.flatMap((f) => {
      const { definition } = JSON.parse(readFileSync(join(CORPUS, f), "utf8")) as {
        definition: unknown;
      };
      return errors(definition).map((d) => `${f}: ${d.code} ${d.location} ${d.message}`);
    });
    expect(files.length).toBeGreaterThan(500);
    expect(flagged).toEqual([]);
  });
});
