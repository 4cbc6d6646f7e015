import { describe, expect, it } from "vitest";
import {
  executionArnPattern,
  needlessWildcards,
  type PolicyDocument,
  type Statement,
  sagaRolePolicy,
  stateMachineArn,
  stepFunctionsTrustPolicy,
} from "./iam.ts";

const fn = (name: string) =>
  `arn:aws:lambda:eu-west-1:123456789012:function:countersign-dev-${name}`;
const machine = "arn:aws:states:eu-west-1:123456789012:stateMachine:countersign-dev-OrderSaga";
const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

describe("saga role policy", () => {
  const policy = sagaRolePolicy([fn("B"), fn("A"), fn("A")]);

  it("invokes exactly the given functions and their versions, nothing else", () => {
    const invoke = policy.Statement.filter((s) => s.Action.includes("lambda:InvokeFunction"));
    expect(invoke).toHaveLength(1);
    expect(invoke[0]!.Action).toEqual(["lambda:InvokeFunction"]);
    expect(invoke[0]!.Resource).toEqual([fn("A"), `${fn("A")}:*`, fn("B"), `${fn("B")}:*`]);
  });

  it("uses * only for log delivery and X-Ray, which have no resource-level permissions", () => {
    expect(needlessWildcards(policy)).toEqual([]);
    const services = policy.Statement.flatMap((s) => s.Action.map((a) => a.split(":")[0]));
    expect(new Set(services)).toEqual(new Set(["lambda", "logs", "xray"]));
  });

  it("is assumable by Step Functions only, on behalf of the saga only", () => {
    expect(stepFunctionsTrustPolicy(machine).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "states.amazonaws.com" },
        Action: ["sts:AssumeRole"],
        Condition: {
          ArnLike: { "aws:SourceArn": machine },
          StringEquals: { "aws:SourceAccount": "123456789012" },
        },
      },
    ]);
    expect(() => stepFunctionsTrustPolicy("countersign-dev-OrderSaga")).toThrow(
      /not a state machine ARN/,
    );
  });

  it("predicts the state machine's ARN from its name", () => {
    expect(
      stateMachineArn({
        partition: "aws",
        region: "eu-west-1",
        accountId: "123456789012",
        name: "countersign-dev-OrderSaga",
      }),
    ).toBe(machine);
  });
});

describe("execution ARNs", () => {
  it("derive from the state machine ARN", () => {
    expect(executionArnPattern(machine)).toBe(
      "arn:aws:states:eu-west-1:123456789012:execution:countersign-dev-OrderSaga:*",
    );
  });
});

describe("saga role with a customer-managed key", () => {
  it("may use the key only for this state machine's data", () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/k-1";
    const statement = sagaRolePolicy([fn("A")], {
      keyArn: key,
      stateMachineArn: machine,
    }).Statement.find((s) => s.Sid === "UseSagaKey");
    expect(statement).toEqual({
      Sid: "UseSagaKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [key],
      Condition: { StringEquals: { "kms:EncryptionContext:aws:states:stateMachineArn": machine } },
    });
  });
});

describe("needlessWildcards", () => {
  it("flags wildcard actions and * resources for actions that support narrower ones", () => {
    const wide = doc(
      { Sid: "A", Effect: "Allow", Action: ["dynamodb:*"], Resource: ["arn:t"] },
      {
        Sid: "B",
        Effect: "Allow",
        Action: ["ses:SendEmail", "xray:PutTraceSegments"],
        Resource: ["*"],
      },
    );
    expect(needlessWildcards(wide)).toEqual(["A: dynamodb:* on arn:t", "B: ses:SendEmail on *"]);
  });
});
