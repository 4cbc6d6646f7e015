import { describe, expect, it } from "vitest";
import { deps, orderInput, orderState, seedCatalogue, stockOf } from "../../test/saga/fixtures.ts";
import { ShippingUnavailable } from "./errors.ts";
import { reserveStock } from "./inventory.ts";
import { validateOrder } from "./orders.ts";
import { shipOrder } from "./shipping.ts";

describe("shipOrder", () => {
  it("moves reserved units to shipped and books one parcel, however often it runs", async () => {
    const cat = await seedCatalogue(10);
    const input = orderInput(cat);
    await validateOrder(deps(), input);
    await reserveStock(deps(), input.orderId);

    const first = await shipOrder(deps(), input.orderId);
    const second = await shipOrder(deps(), input.orderId);

    expect(second).toEqual(first);
    expect(first.trackingNumber).toMatch(/^SP[0-9A-F]{12}$/);
    expect((await stockOf([cat.a]))[cat.a]).toEqual({ available: 8, reserved: 0, shipped: 2 });
    expect((await orderState(input.orderId)).order?.status).toBe("SHIPPED");
  });

  it("refuses an unsupported destination and leaves the reservation held", async () => {
    const cat = await seedCatalogue(10);
    const input = orderInput(cat, {
      shipping: { line1: "Base 1", city: "McMurdo", postalCode: "0", country: "AQ" },
    });
    await validateOrder(deps(), input);
    await reserveStock(deps(), input.orderId);

    await expect(shipOrder(deps(), input.orderId)).rejects.toBeInstanceOf(ShippingUnavailable);

    expect((await stockOf([cat.a]))[cat.a]).toEqual({ available: 8, reserved: 2, shipped: 0 });
    expect((await orderState(input.orderId)).reservation?.status).toBe("HELD");
  });
});
