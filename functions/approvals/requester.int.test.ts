/**
 * Who asks for an approval comes from the workflow's settings (or an authenticated caller), never
 * from the order: an order that names an approver as its requester — which used to take that
 * approver off the request — is refused, and the saga's request keeps every configured approver.
 */
import { describe, expect, it } from "vitest";
import {
  approvalPayload,
  captureLog,
  people,
  recordingSfn,
  testDeps,
} from "../../test/approvals/harness.ts";
import { orderFor, seedStock } from "../../test/resilience/support.ts";
import { defaultDeps } from "../orders/deps.ts";
import { OrderInvalid } from "../orders/errors.ts";
import { validateOrder } from "../orders/orders.ts";
import { ApprovalService } from "./service.ts";

function service(settings: Record<string, unknown>) {
  return new ApprovalService(testDeps({ sfn: recordingSfn().client, log: captureLog(), settings }));
}

describe("the requester of an approval", () => {
  it("cannot be set by an order: naming an approver is refused before anything is stored", async () => {
    const who = people();
    const deps = defaultDeps();
    const skus = await seedStock(deps, 1, 5);
    const order = { ...orderFor(skus, "succeeds"), requester: who.a };

    const refused = validateOrder(deps, order, { approvalThreshold: 0 });

    await expect(refused).rejects.toBeInstanceOf(OrderInvalid);
    await expect(refused).rejects.toThrow(/requester: is not part of an order/);
  });

  it("is Settings.requester for the saga's request, and every configured approver stays on it", async () => {
    const who = people();
    const approvals = service({
      approvalTimeoutSeconds: 3600,
      approvers: [who.a, who.b],
      requester: who.requester,
    });
    // The saga's payload carries no requester (stacks/order-saga.asl.json).
    const { requester: _none, ...payload } = approvalPayload({ requester: who.a });

    const { approvalId, approvers } = await approvals.request(payload);

    expect(approvers).toEqual([who.a, who.b]);
    expect((await approvals.get(approvalId)).requester).toBe(who.requester);
  });

  it("falls back to the sender address when the settings name none", async () => {
    const who = people();
    const approvals = service({ approvalTimeoutSeconds: 3600, approvers: [who.a] });
    const { requester: _none, ...payload } = approvalPayload({ requester: who.a });

    const { approvalId } = await approvals.request(payload);

    expect((await approvals.get(approvalId)).requester).toBe("orders@countersign.local");
  });
});
