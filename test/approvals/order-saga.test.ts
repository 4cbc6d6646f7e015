/**
 * The approval step inside the REAL order saga (`stacks/order-saga.asl.json`, placeholders filled
 * with local ARNs) on the local runtime, with the saga's own handlers: an order above the
 * threshold waits for approval; approving completes it, rejecting compensates (stock released,
 * order failed with the reason).
 */
import { afterEach, describe, expect, it } from "vitest";
import { findOrder } from "../../functions/orders/orders.ts";
import { localDefinition } from "../../local/platform/functions.ts";
import { deps as orderDeps, orderInput, seedCatalogue, stockOf } from "../saga/fixtures.ts";
import { sagaTaskHandlers } from "../saga/harness.ts";
import { form, hiddenFields, linkIn, mailTo, people } from "./harness.ts";
import { type World, world } from "./runtime.ts";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function sagaWorld(approvers: string[]): Promise<World> {
  // The world registers the approvals service (RequestApproval) on the shared virtual clock.
  const functions = await sagaTaskHandlers();
  return world({ definition: localDefinition(), functions, settings: { approvers } });
}

async function decide(email: string, decision: "approve" | "reject") {
  const mail = (await mailTo(email)).at(-1);
  if (!mail) throw new Error(`no mail to ${email}`);
  const link = linkIn(mail);
  const fields = hiddenFields(await (await fetch(link)).text());
  return fetch(link.split("?")[0] as string, { method: "POST", ...form({ ...fields, decision }) });
}

describe("approval inside the order saga", () => {
  it("approving an order above the threshold completes it", async () => {
    const who = people();
    w = await sagaWorld([who.a]);
    const cat = await seedCatalogue(10);
    const input = orderInput(cat, {
      lines: [{ sku: cat.big, quantity: 3 }],
    });
    const arn = await w.start({ ...input, approvalThreshold: 1000, approvalTimeoutSeconds: 3600 });
    expect((await w.status(arn)).status).toBe("RUNNING");

    const res = await decide(who.a, "approve");
    expect(res.status).toBe(200);
    const done = await w.status(arn);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.output).toMatchObject({ status: "COMPLETED" });
  });

  it("rejecting it compensates: stock released, order failed with the reason", async () => {
    const who = people();
    w = await sagaWorld([who.a]);
    const cat = await seedCatalogue(10);
    const input = orderInput(cat, {
      lines: [{ sku: cat.big, quantity: 3 }],
    });
    const arn = await w.start({ ...input, approvalThreshold: 1000, approvalTimeoutSeconds: 3600 });
    expect((await w.status(arn)).status).toBe("RUNNING");

    expect((await decide(who.a, "reject")).status).toBe(200);
    const done = await w.status(arn);
    expect(done.status).toBe("FAILED");
    expect((await stockOf([cat.big], orderDeps()))[cat.big]).toMatchObject({
      available: 10,
      reserved: 0,
    });
    const order = await findOrder(orderDeps(), input.orderId);
    expect(order?.status).toBe("FAILED");
    expect(JSON.stringify(order)).toContain("reject");
  });
});
