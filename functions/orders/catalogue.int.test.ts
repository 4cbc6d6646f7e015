import { describe, expect, it } from "vitest";
import { deps, orderInput, stockOf, uid } from "../../test/saga/fixtures.ts";
import { importCatalogue, type Product } from "./catalogue.ts";
import { reserveStock } from "./inventory.ts";
import { getStockItems, validateOrder } from "./orders.ts";

const products = (p: string): Product[] => [
  { sku: `${p}-A`, name: "Widget", currency: "EUR", unitPriceMinor: 1000, stock: 10 },
  { sku: `${p}-B`, name: "Gadget", currency: "EUR", unitPriceMinor: 2550, stock: 5 },
];

describe("importCatalogue", () => {
  it("creates products an order can then be priced and reserved against", async () => {
    const p = uid("cat");
    const report = await importCatalogue(deps(), products(p));

    expect(report).toEqual({
      created: [`${p}-A`, `${p}-B`],
      updated: [],
      unchanged: [],
      skipped: [],
      dryRun: false,
    });
    const order = orderInput(
      { a: `${p}-A`, b: `${p}-B`, big: `${p}-B`, all: [] },
      { lines: [{ sku: `${p}-A`, quantity: 2 }] },
    );
    const { order: priced } = await validateOrder(deps(), order);
    expect(priced.total).toBe(20);
    await reserveStock(deps(), order.orderId);
    expect(await stockOf([`${p}-A`])).toEqual({
      [`${p}-A`]: { available: 8, reserved: 2, shipped: 0 },
    });
  });

  it("a dry run writes nothing; importing again reprices and restocks, keeping reservations", async () => {
    const p = uid("cat");
    const dry = await importCatalogue(deps(), products(p), { dryRun: true });
    expect(dry).toMatchObject({ created: [`${p}-A`, `${p}-B`], dryRun: true });
    expect((await getStockItems(deps(), [`${p}-A`, `${p}-B`])).size).toBe(0);

    await importCatalogue(deps(), products(p));
    const order = orderInput(
      { a: `${p}-A`, b: `${p}-B`, big: `${p}-B`, all: [] },
      { lines: [{ sku: `${p}-A`, quantity: 3 }] },
    );
    await validateOrder(deps(), order);
    await reserveStock(deps(), order.orderId);

    const [changed, same] = products(p);
    const again = await importCatalogue(deps(), [
      { ...(changed as Product), unitPriceMinor: 1200, stock: 50 },
      same as Product,
    ]);

    expect(again).toMatchObject({ created: [], updated: [`${p}-A`], unchanged: [`${p}-B`] });
    const stored = (await getStockItems(deps(), [`${p}-A`])).get(`${p}-A`);
    expect(stored).toMatchObject({ unitPriceMinor: 1200, available: 50, reserved: 3, shipped: 0 });
  });

  it("onlyNew adds missing products and leaves existing ones as the orders left them", async () => {
    const p = uid("cat");
    const [a, b] = products(p) as [Product, Product];
    await importCatalogue(deps(), [a]);

    const report = await importCatalogue(deps(), [{ ...a, stock: 999 }, b], { onlyNew: true });

    expect(report).toMatchObject({ created: [b.sku], skipped: [a.sku] });
    expect((await stockOf([a.sku, b.sku]))[a.sku]?.available).toBe(10);
    expect((await stockOf([a.sku, b.sku]))[b.sku]?.available).toBe(5);
  });
});
