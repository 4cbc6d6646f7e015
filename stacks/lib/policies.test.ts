import { describe, expect, it } from "vitest";
import { FUNCTIONS } from "../topology.ts";
import { needlessWildcards } from "./iam.ts";
import { functionPolicy, type TopologyArns, toSstPermissions } from "./policies.ts";

const arns: TopologyArns = {
  table: "arn:aws:dynamodb:eu-west-1:123456789012:table/countersign-dev-DataTable",
  emailIdentity: "arn:aws:ses:eu-west-1:123456789012:identity/orders@example.com",
  emailConfigurationSet: "arn:aws:ses:eu-west-1:123456789012:configuration-set/cs-dev",
  orderSaga: "arn:aws:states:eu-west-1:123456789012:stateMachine:countersign-dev-OrderSaga",
  approvalCallers: [
    "arn:aws:states:eu-west-1:123456789012:stateMachine:countersign-dev-OrderSaga",
    "arn:aws:states:eu-west-1:123456789012:stateMachine:countersign-dev-ExpenseApproval",
  ],
};

describe("function policies", () => {
  it("grant the API its saga access on the saga and its executions only", () => {
    const policy = functionPolicy(FUNCTIONS.Api, arns);
    expect(needlessWildcards(policy)).toEqual([]);
    const states = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith("states:")));
    expect(states.flatMap((s) => s.Resource)).toEqual([
      ...arns.approvalCallers,
      arns.orderSaga,
      "arn:aws:states:eu-west-1:123456789012:execution:countersign-dev-OrderSaga:*",
      "arn:aws:states:eu-west-1:123456789012:execution:countersign-dev-OrderSaga:*",
    ]);
    expect(states.flatMap((s) => s.Action).sort()).toEqual([
      "states:DescribeExecution",
      "states:DescribeStateMachine",
      "states:GetExecutionHistory",
      "states:ListExecutions",
      "states:RedriveExecution",
      "states:SendTaskFailure",
      "states:SendTaskHeartbeat",
      "states:SendTaskSuccess",
    ]);
  });

  it("grant the table's item actions on the table and its indexes only, no scans", () => {
    const [table] = functionPolicy(FUNCTIONS.ShipOrder, arns).Statement;
    expect(table!.Resource).toEqual([arns.table, `${arns.table}/index/*`]);
    expect(table!.Action).not.toContain("dynamodb:Scan");
    expect(table!.Action).not.toContain("dynamodb:DeleteTable");
  });

  it("grant sending on this account's identities in the sender's region", () => {
    const mail = functionPolicy(FUNCTIONS.NotifyCustomer, arns).Statement.find(
      (s) => s.Sid === "SendMail",
    );
    expect(mail!.Resource).toEqual([
      "arn:aws:ses:eu-west-1:123456789012:identity/*",
      arns.emailConfigurationSet,
    ]);
    expect(() =>
      functionPolicy(FUNCTIONS.NotifyCustomer, { ...arns, emailIdentity: "orders@example.com" }),
    ).toThrow(/not an SES identity ARN/);
  });

  it("add the key through the services each function uses, when there is one", () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/k-1";
    const ship = functionPolicy(FUNCTIONS.ShipOrder, { ...arns, key }).Statement;
    expect(ship.map((s) => s.Sid)).toEqual(["UseTable", "UseTableKey"]);
    expect(ship[1]!.Condition).toEqual({
      StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" },
    });
    const api = functionPolicy(FUNCTIONS.Api, { ...arns, key }).Statement.map((s) => s.Sid);
    expect(api).toContain("UseSagaKey");
    expect(functionPolicy(FUNCTIONS.ShipOrder, arns).Statement.map((s) => s.Sid)).toEqual([
      "UseTable",
    ]);
  });

  it("become SST permissions statement for statement, conditions included", () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/k-1";
    const policy = functionPolicy(FUNCTIONS.ShipOrder, { ...arns, key });
    expect(toSstPermissions(policy)).toEqual([
      { actions: policy.Statement[0]!.Action, resources: policy.Statement[0]!.Resource },
      {
        actions: policy.Statement[1]!.Action,
        resources: [key],
        conditions: [
          {
            test: "StringEquals",
            variable: "kms:ViaService",
            values: ["dynamodb.eu-west-1.amazonaws.com"],
          },
        ],
      },
    ]);
  });
});
