/**
 * A compensation that cannot finish is parked where an operator sees it, and retried on request:
 * the real saga, real handlers and DynamoDB Local, the durable runtime on a virtual clock and its
 * wire API. ReleaseStock fails transiently until "the outage ends": its retries (minutes, with
 * backoff) run out, the order shows COMPENSATION_FAILED with its stock still held, and the
 * operator's retry (what `countersign orders retry-compensation` sends) finishes the saga.
 */
import { SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findParkedCompensation } from "../../functions/orders/compensation.ts";
import { retryCompensation } from "../../functions/orders/compensation-retry.ts";
import { defaultDeps } from "../../functions/orders/deps.ts";
import { listOrders } from "../../functions/orders/order-list.ts";
import { TransientInfrastructureError } from "../../functions/shared/transient.ts";
import { loadFunctions, localDefinition } from "../../local/platform/functions.ts";
import {
  createRuntime,
  type FunctionConfig,
  type SfnRuntime,
  type SfnServer,
  serveSfnApi,
  VirtualClock,
} from "../../local/sfn/index.ts";
import { holdings, orderFor, seedStock, stockTotals, wiringFromEnv } from "./support.ts";

let runtime: SfnRuntime;
let server: SfnServer;
let sfn: SFNClient;
let stateMachineArn: string;
const clock = new VirtualClock(Date.UTC(2026, 0, 1));
let outage = true;
let releaseAttempts = 0;

beforeAll(async () => {
  const functions = await loadFunctions(wiringFromEnv());
  const release = functions.ReleaseStock as FunctionConfig;
  runtime = createRuntime({
    clock,
    accountId: "000000000000",
    functions: {
      ...functions,
      ReleaseStock: {
        ...release,
        handler: (event, context) => {
          releaseAttempts++;
          if (outage) throw new TransientInfrastructureError("DynamoDB is down (test outage)");
          return release.handler(event, context);
        },
      },
    },
  });
  ({ stateMachineArn } = runtime.createStateMachine({
    name: "OrderSaga",
    definition: localDefinition(),
    roleArn: "arn:aws:iam::000000000000:role/order-saga",
  }));
  server = await serveSfnApi(runtime, { port: 0 });
  sfn = new SFNClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
});

afterAll(async () => {
  sfn?.destroy();
  await server?.close();
  await runtime?.close();
});

/** Runs the virtual clock a minute at a time until `done` holds (a virtual day at most). */
async function until(done: () => Promise<boolean> | boolean): Promise<void> {
  for (let minute = 0; minute < 24 * 60; minute++) {
    await runtime.idle();
    if (await done()) return;
    await clock.advance(60_000);
  }
  throw new Error("condition not met within a virtual day");
}

describe("a compensation that cannot finish", () => {
  it("parks the order as COMPENSATION_FAILED with its stock visible, and an operator's retry finishes the saga", async () => {
    const deps = defaultDeps();
    const skus = await seedStock(deps, 2, 5);
    const order = orderFor(skus, "declined");
    const arn = (
      await runtime.startExecution({
        stateMachineArn,
        name: order.orderId,
        input: JSON.stringify(order),
      })
    ).executionArn;

    await until(async () => (await holdings(deps, order.orderId)).status === "COMPENSATION_FAILED");

    expect(runtime.describeExecution({ executionArn: arn }).status).toBe("RUNNING");
    expect(releaseAttempts).toBe(21); // the first attempt and 20 retries
    expect(await stockTotals(deps, skus)).toEqual({
      [skus[0]!]: { total: 5, reserved: 1, shipped: 0 },
      [skus[1]!]: { total: 5, reserved: 1, shipped: 0 },
    });
    const listed = (await listOrders(deps, 1000)).find((o) => o.orderId === order.orderId);
    expect(listed?.status).toBe("COMPENSATION_FAILED");
    expect(listed?.failureReason).toMatch(/retry-compensation/);
    expect(JSON.stringify(listed)).not.toMatch(/taskToken/);
    expect(await findParkedCompensation(deps, order.orderId)).toMatchObject({
      compensation: { error: "TransientInfrastructureError" },
      failure: { step: "ChargePayment", error: "PaymentDeclined" },
    });

    outage = false;
    await retryCompensation(deps, sfn, order.orderId);
    await until(() => runtime.describeExecution({ executionArn: arn }).status !== "RUNNING");

    const ended = runtime.describeExecution({ executionArn: arn });
    expect(ended.status).toBe("FAILED");
    expect(ended.error).toBe("PaymentDeclined");
    expect(await holdings(deps, order.orderId)).toMatchObject({
      status: "FAILED",
      reservation: "RELEASED",
      netCharged: 0,
    });
    expect((await stockTotals(deps, skus))[skus[0]!]).toEqual({
      total: 5,
      reserved: 0,
      shipped: 0,
    });
    expect(await findParkedCompensation(deps, order.orderId)).toBeUndefined();
    await expect(retryCompensation(deps, sfn, order.orderId)).rejects.toThrow(
      /no compensation waiting/,
    );
  });
});
