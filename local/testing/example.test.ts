import { createTestEnvironment, type TestEnvironment } from "countersign/testing";
import "countersign/testing/vitest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// An order saga: reserve stock, wait up to 24 hours for a manager's approval, charge;
// a rejection, a failed charge or no answer in time releases the stock and fails the order.
const saga = {
  QueryLanguage: "JSONata",
  StartAt: "ReserveStock",
  States: {
    ReserveStock: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Arguments: { FunctionName: "${ReserveStockFunctionArn}", Payload: "{% $states.input %}" },
      Output: "{% $states.input %}",
      Next: "RequestApproval",
    },
    RequestApproval: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Arguments: {
        FunctionName: "${RequestApprovalFunctionArn}",
        Payload: {
          orderId: "{% $states.input.orderId %}",
          token: "{% $states.context.Task.Token %}",
        },
      },
      TimeoutSeconds: 86400,
      Output: "{% $merge([$states.input, $states.result]) %}",
      Catch: [{ ErrorEquals: ["States.ALL"], Output: "{% $states.input %}", Next: "ReleaseStock" }],
      Next: "Approved?",
    },
    "Approved?": {
      Type: "Choice",
      Choices: [{ Condition: "{% $states.input.decision = 'approve' %}", Next: "ChargePayment" }],
      Default: "ReleaseStock",
    },
    ChargePayment: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Arguments: { FunctionName: "${ChargePaymentFunctionArn}", Payload: "{% $states.input %}" },
      Output: "{% $states.result.Payload %}",
      Catch: [{ ErrorEquals: ["States.ALL"], Output: "{% $states.input %}", Next: "ReleaseStock" }],
      End: true,
    },
    ReleaseStock: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Arguments: { FunctionName: "${ReleaseStockFunctionArn}", Payload: "{% $states.input %}" },
      Next: "OrderFailed",
    },
    OrderFailed: { Type: "Fail", Error: "OrderFailed" },
  },
};

let env: TestEnvironment;
const reserved = new Map<string, number>();

beforeEach(async () => {
  reserved.clear();
  env = await createTestEnvironment({
    definition: saga, // or: file: "stacks/order-saga.asl.json"
    clock: "virtual",
    handlers: {
      // ${NameFunctionArn} in the definition reaches the handler registered as Name.
      ReserveStock: async (order: { orderId: string }) => {
        reserved.set(order.orderId, 1);
      },
      ReleaseStock: async (order: { orderId: string }) => {
        reserved.delete(order.orderId);
      },
      RequestApproval: async () => {}, // the test answers the task token itself
      ChargePayment: async () => ({ charged: true }),
    },
  });
});
afterEach(() => env.close());

describe("order saga", () => {
  it("charges an approved order", async () => {
    const run = await env.start({ orderId: "o-1" });

    const token = await run.waitForTaskToken("RequestApproval");
    await env.sendTaskSuccess(token, { decision: "approve" });

    expect(run).toHaveSucceeded();
    expect(run.output).toEqual({ charged: true });
    expect(run).toHavePassedThrough("ChargePayment");
    expect(reserved.has("o-1")).toBe(true);
  });

  it("releases the stock when nobody approves within 24 hours", async () => {
    const run = await env.start({ orderId: "o-2" });
    await run.waitForTaskToken("RequestApproval");

    await env.advance("23h"); // still waiting...
    expect(run.status).toBe("RUNNING");
    await env.advance("1h"); // ...and the 24-hour timeout fires, in milliseconds

    expect(run).toHaveFailedWith("OrderFailed");
    expect(run).not.toHavePassedThrough("ChargePayment");
    expect(run.path()).toEqual(["ReserveStock", "RequestApproval", "ReleaseStock", "OrderFailed"]);
    expect(reserved.has("o-2")).toBe(false);
  });

  it("releases the stock when the card is declined (a mocked failure)", async () => {
    await env.close();
    env = await createTestEnvironment({
      definition: saga,
      handlers: { ReserveStock: async () => {}, ReleaseStock: async () => {} },
      // Step Functions Local's mocked responses: invocation "0" of each state.
      mocks: {
        RequestApproval: { "0": { Return: { decision: "approve" } } },
        ChargePayment: { "0": { Throw: { Error: "PaymentDeclined", Cause: "card declined" } } },
      },
    });

    const run = await env.start({ orderId: "o-3" });
    await run.result();

    expect(run).toHaveFailedWith("OrderFailed");
    expect(run).toHavePassedThrough("ReleaseStock", 1);
  });
});
