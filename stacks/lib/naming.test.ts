import { describe, expect, it } from "vitest";
import { placeholderFor, STATE_MACHINES } from "../topology.ts";
import { NamingError } from "./errors.ts";
import { handlerFor, physicalName, stateMachineLogGroupName } from "./naming.ts";

describe("naming", () => {
  it("derives SST handler strings from handler files", () => {
    expect(handlerFor("functions/reserve-stock.ts")).toBe("functions/reserve-stock.handler");
    expect(handlerFor("functions/api/lambda.ts")).toBe("functions/api/lambda.handler");
    expect(() => handlerFor("functions/x.js")).toThrow(NamingError);
  });

  it("names placeholders <Function>FunctionArn, as the ASL files do", () => {
    expect(STATE_MACHINES[0]!.tasks.map(placeholderFor)).toEqual([
      "ValidateOrderFunctionArn",
      "ReserveStockFunctionArn",
      "RequestApprovalFunctionArn",
      "ChargePaymentFunctionArn",
      "ShipOrderFunctionArn",
      "NotifyCustomerFunctionArn",
      "RefundPaymentFunctionArn",
      "ReleaseStockFunctionArn",
      "MarkOrderFailedFunctionArn",
    ]);
  });

  it("keeps physical names within the limit, the stage whole, and the characters legal", () => {
    const name = physicalName("countersign".repeat(10), "pr-42", "OrderSaga");
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name.endsWith("-pr-42-OrderSaga")).toBe(true);
    expect(physicalName("cs", "my.stage", "X")).toBe("cs-my-stage-X");
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("rejects a stage too long to fit, telling the user to shorten it", () => {
    expect(() => physicalName("cs", "s".repeat(80), "OrderSaga")).toThrow(/shorter --stage/);
  });

  it("puts state machine logs under /aws/vendedlogs/states/", () => {
    expect(stateMachineLogGroupName("countersign", "dev", "OrderSaga")).toBe(
      "/aws/vendedlogs/states/countersign-dev-OrderSaga",
    );
  });
});
