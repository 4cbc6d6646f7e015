import { SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderAlreadyExists } from "../../functions/orders/errors.ts";
import { startOrder } from "../../functions/orders/start-order.ts";
import { type SfnServer, serveSfnApi } from "../../local/sfn/index.ts";
import { orderInput, seedCatalogue } from "./fixtures.ts";
import { type SagaHarness, sagaHarness } from "./harness.ts";

let h: SagaHarness;
let server: SfnServer;
let sfn: SFNClient;
beforeAll(async () => {
  h = await sagaHarness();
  server = await serveSfnApi(h.runtime, { port: 0, host: "127.0.0.1" });
  sfn = new SFNClient({ endpoint: server.url, maxAttempts: 1 });
});
afterAll(async () => {
  sfn.destroy();
  await server.close();
  await h.close();
});

describe("startOrder (through the Step Functions wire API)", () => {
  it("starts once: a repeat, even after the saga ended, answers with the same execution", async () => {
    const order = orderInput(await seedCatalogue());

    const first = await startOrder(sfn, h.stateMachineArn, order);
    await h.settle(first.executionArn);
    const again = await startOrder(sfn, h.stateMachineArn, order);

    expect(first.started).toBe(true);
    expect(again).toEqual({ executionArn: first.executionArn, started: false });
    expect(
      h.runtime
        .listExecutions({ stateMachineArn: h.stateMachineArn })
        .executions.filter((e) => (e as { name: string }).name === order.orderId),
    ).toHaveLength(1);
  });

  it("refuses the same order id with different content", async () => {
    const order = orderInput(await seedCatalogue());
    await startOrder(sfn, h.stateMachineArn, order);

    const reuse = startOrder(sfn, h.stateMachineArn, { ...order, currency: "USD" });

    await expect(reuse).rejects.toBeInstanceOf(OrderAlreadyExists);
  });
});
