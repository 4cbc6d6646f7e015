/**
 * An order's approval timeout is bounded by the settings (30 days unless
 * Settings.maxApprovalTimeoutSeconds says otherwise): past it the order is refused, naming the
 * field and the limit, before anything is stored.
 */
import { describe, expect, it } from "vitest";
import { orderFor, seedStock } from "../../test/resilience/support.ts";
import { DEFAULT_MAX_APPROVAL_TIMEOUT_SECONDS } from "../shared/approval-timeout.ts";
import { defaultDeps } from "./deps.ts";
import { OrderInvalid } from "./errors.ts";
import { findOrder, validateOrder } from "./orders.ts";

describe("an order's approval timeout", () => {
  it("of 1e12 s (year 33715) is refused with the limit, and nothing is stored", async () => {
    const deps = defaultDeps();
    const order = orderFor(await seedStock(deps, 1, 5), "succeeds", {
      approvalTimeoutSeconds: 1e12,
    });

    const refused = validateOrder(deps, order, {});

    await expect(refused).rejects.toBeInstanceOf(OrderInvalid);
    await expect(refused).rejects.toThrow(
      /approvalTimeoutSeconds: is 1000000000000; it must be a whole number of seconds from 1 to 2592000 \(30 days/,
    );
    expect(await findOrder(deps, order.orderId)).toBeUndefined();
  });

  it("up to the limit is accepted, and the settings may raise the limit", async () => {
    const deps = defaultDeps();
    const skus = await seedStock(deps, 1, 5);
    const atLimit = orderFor(skus, "succeeds", {
      approvalTimeoutSeconds: DEFAULT_MAX_APPROVAL_TIMEOUT_SECONDS,
    });
    const longer = orderFor(skus, "succeeds", { approvalTimeoutSeconds: 60 * 86_400 });

    expect((await validateOrder(deps, atLimit, {})).approval.timeoutSeconds).toBe(2_592_000);
    await expect(validateOrder(deps, longer, {})).rejects.toBeInstanceOf(OrderInvalid);
    const raised = await validateOrder(deps, longer, { maxApprovalTimeoutSeconds: 90 * 86_400 });
    expect(raised.approval.timeoutSeconds).toBe(5_184_000);
  });
});
