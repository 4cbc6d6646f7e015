import { describe, expect, it } from "vitest";
import { deps, orderInput, orderState, seedCatalogue, stockOf } from "../../test/saga/fixtures.ts";
import { OutOfStock } from "./errors.ts";
import { releaseStock, reserveStock } from "./inventory.ts";
import { validateOrder } from "./orders.ts";
import { shipOrder } from "./shipping.ts";

describe("reserveStock", () => {
  it("moves every line from available to reserved, conserving each SKU's total", async () => {
    const cat = await seedCatalogue(10);
    const input = orderInput(cat, {
      lines: [
        { sku: cat.a, quantity: 3 },
        { sku: cat.b, quantity: 10 },
      ],
    });
    await validateOrder(deps(), input);

    const out = await reserveStock(deps(), input.orderId);

    expect(out.status).toBe("HELD");
    expect(await stockOf([cat.a, cat.b])).toEqual({
      [cat.a]: { available: 7, reserved: 3, shipped: 0 },
      [cat.b]: { available: 0, reserved: 10, shipped: 0 },
    });
    expect((await orderState(input.orderId)).order?.status).toBe("RESERVED");
  });

  it("reserves nothing when one line is out of stock, naming that SKU", async () => {
    const cat = await seedCatalogue(5);
    const input = orderInput(cat, {
      lines: [
        { sku: cat.a, quantity: 1 },
        { sku: cat.b, quantity: 6 },
      ],
    });
    await validateOrder(deps(), input);

    const error = await reserveStock(deps(), input.orderId).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OutOfStock);
    expect((error as OutOfStock).skus).toEqual([cat.b]);
    expect(await stockOf([cat.a, cat.b])).toEqual({
      [cat.a]: { available: 5, reserved: 0, shipped: 0 },
      [cat.b]: { available: 5, reserved: 0, shipped: 0 },
    });
    expect((await orderState(input.orderId)).reservation).toBeUndefined();
  });

  it("reserves once when delivered twice", async () => {
    const cat = await seedCatalogue(10);
    const input = orderInput(cat);
    await validateOrder(deps(), input);

    await reserveStock(deps(), input.orderId);
    const again = await reserveStock(deps(), input.orderId);

    expect(again.status).toBe("HELD");
    expect((await stockOf([cat.a]))[cat.a]).toEqual({ available: 8, reserved: 2, shipped: 0 });
  });
});

describe("releaseStock", () => {
  it("returns a held reservation to available, once however often it runs", async () => {
    const cat = await seedCatalogue(10);
    const input = orderInput(cat);
    await validateOrder(deps(), input);
    await reserveStock(deps(), input.orderId);

    const first = await releaseStock(deps(), input.orderId);
    const second = await releaseStock(deps(), input.orderId);

    expect(first.released).toEqual([
      { sku: cat.a, quantity: 2 },
      { sku: cat.b, quantity: 1 },
    ]);
    expect(second.released).toEqual([]);
    expect((await stockOf([cat.a]))[cat.a]).toEqual({ available: 10, reserved: 0, shipped: 0 });
    expect((await orderState(input.orderId)).reservation?.status).toBe("RELEASED");
  });

  it("moves nothing for an order that reserved nothing, and a reservation landing late moves no stock", async () => {
    const cat = await seedCatalogue(10);
    const input = orderInput(cat);
    await validateOrder(deps(), input);

    const out = await releaseStock(deps(), input.orderId);
    expect(out).toEqual({ orderId: input.orderId, released: [], status: "RELEASED" });

    // An earlier ReserveStock whose answer was lost (its write delayed by an outage) lands after
    // the compensation: it finds the order released and holds nothing.
    const late = await reserveStock(deps(), input.orderId);
    expect(late.status).toBe("RELEASED");
    expect(await stockOf([cat.a, cat.b])).toEqual({
      [cat.a]: { available: 10, reserved: 0, shipped: 0 },
      [cat.b]: { available: 10, reserved: 0, shipped: 0 },
    });
    expect((await orderState(input.orderId)).reservation?.status).toBe("RELEASED");
  });

  it("cancels a booked parcel and restocks it when the saga failed after shipping", async () => {
    const cat = await seedCatalogue(10);
    const input = orderInput(cat);
    await validateOrder(deps(), input);
    await reserveStock(deps(), input.orderId);
    await shipOrder(deps(), input.orderId);

    await releaseStock(deps(), input.orderId);

    expect((await stockOf([cat.a]))[cat.a]).toEqual({ available: 10, reserved: 0, shipped: 0 });
    const state = await orderState(input.orderId);
    expect(state.reservation?.status).toBe("RETURNED");
    expect(state.shipment).toMatchObject({ status: "CANCELLED" });
  });
});
