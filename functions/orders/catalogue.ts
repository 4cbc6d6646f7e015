/**
 * A small demo catalogue for the local platform (`npm start`) and manual tries: prices in EUR,
 * one item expensive enough that an order of two needs approval at the default threshold (1000).
 */
import type { OrderDeps } from "./deps.ts";
import { getStock, putStock } from "./inventory.ts";
import type { StockItem } from "./model.ts";

export const DEMO_CATALOGUE: Omit<StockItem, "reserved" | "shipped">[] = [
  { sku: "WIDGET-1", name: "Widget", currency: "EUR", unitPriceMinor: 1000, available: 100 },
  { sku: "GADGET-2", name: "Gadget", currency: "EUR", unitPriceMinor: 2550, available: 50 },
  {
    sku: "ESPRESSO-3",
    name: "Espresso machine",
    currency: "EUR",
    unitPriceMinor: 60000,
    available: 10,
  },
];

/** Adds the demo SKUs that are missing (never overwrites stock that is already there). */
export async function seedDemoCatalogue(deps: OrderDeps): Promise<string[]> {
  const added: string[] = [];
  for (const item of DEMO_CATALOGUE) {
    if (await getStock(deps, item.sku)) continue;
    await putStock(deps, item);
    added.push(item.sku);
  }
  return added;
}
