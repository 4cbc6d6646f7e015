import { describe, expect, it } from "vitest";
import {
  apiSagaStatements,
  emailStatement,
  executionArnPattern,
  needlessWildcards,
  type PolicyDocument,
  type Statement,
  sagaRolePolicy,
  stateMachineArn,
  stepFunctionsTrustPolicy,
  tableStatement,
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

describe("API and link statements", () => {
  it("scope the API's saga access to the saga and its executions", () => {
    const statements = apiSagaStatements(machine);
    expect(needlessWildcards(doc(...statements))).toEqual([]);
    expect(statements.flatMap((s) => s.Resource)).toEqual([
      machine,
      machine,
      "arn:aws:states:eu-west-1:123456789012:execution:countersign-dev-OrderSaga:*",
    ]);
    expect(statements.flatMap((s) => s.Action).sort()).toEqual([
      "states:DescribeExecution",
      "states:DescribeStateMachine",
      "states:GetExecutionHistory",
      "states:ListExecutions",
      "states:SendTaskFailure",
      "states:SendTaskHeartbeat",
      "states:SendTaskSuccess",
    ]);
  });

  it("derive execution ARNs from the state machine ARN", () => {
    expect(executionArnPattern(machine)).toBe(
      "arn:aws:states:eu-west-1:123456789012:execution:countersign-dev-OrderSaga:*",
    );
  });

  it("grant the table's item actions on the table and its indexes only", () => {
    const table = "arn:aws:dynamodb:eu-west-1:123456789012:table/countersign-dev-DataTable";
    const s = tableStatement(table);
    expect(s.Resource).toEqual([table, `${table}/index/*`]);
    expect(s.Action).not.toContain("dynamodb:Scan");
    expect(s.Action).not.toContain("dynamodb:DeleteTable");
    expect(needlessWildcards(doc(s))).toEqual([]);
  });

  it("grant sending on this account's identities in the sender's region", () => {
    const s = emailStatement({
      identityArn: "arn:aws:ses:eu-west-1:123456789012:identity/orders@example.com",
      configurationSetArn: "arn:aws:ses:eu-west-1:123456789012:configuration-set/cs-dev",
    });
    expect(s.Resource).toEqual([
      "arn:aws:ses:eu-west-1:123456789012:identity/*",
      "arn:aws:ses:eu-west-1:123456789012:configuration-set/cs-dev",
    ]);
    expect(needlessWildcards(doc(s))).toEqual([]);
    expect(() =>
      emailStatement({ identityArn: "orders@example.com", configurationSetArn: "x" }),
    ).toThrow(/not an SES identity ARN/);
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
