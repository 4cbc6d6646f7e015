/**
 * The product catalogue: what a catalogue row must contain, and importing validated rows into the
 * table's stock items. `countersign catalogue import` (locally and against a deployed stage) and
 * the local platform's demo seeding all go through here, so a product is the same wherever it came
 * from.
 *
 * All or nothing at the file level: every row is checked first and any problem — each reported
 * with its line and field — means nothing is written. An import sets a product's name, price,
 * currency and the units available for sale; units reserved by orders in flight and units shipped
 * are kept, so importing again is how a shop restocks and reprices.
 */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { CARD_NUMBER_REFUSAL, findCardNumber } from "../shared/card-numbers.ts";
import type { CatalogueIssue, CatalogueRow } from "./catalogue-file.ts";
import type { OrderDeps } from "./deps.ts";
import { CURRENCIES, type Currency, keys, toDecimal } from "./model.ts";
import { getStockItems } from "./orders.ts";

/** The columns (CSV) or fields (JSON) of a product, in the order CSV files list them. */
export const CATALOGUE_COLUMNS = ["sku", "name", "price", "currency", "stock"] as const;
/** A file holds at most this many products (one import stays a few minutes at most). */
export const MAX_PRODUCTS = 10_000;
const MAX_STOCK = 1_000_000_000;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PRICE = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/** A validated product. */
export interface Product {
  sku: string;
  name: string;
  currency: Currency;
  unitPriceMinor: number;
  /** Units available for sale after the import. */
  stock: number;
}

/** The outcome of checking every row: the products, or every problem found. */
export interface CheckedCatalogue {
  products: Product[];
  issues: CatalogueIssue[];
}

/** Checks every row; `issues` lists each problem with its line and field (empty when all are good). */
export function checkCatalogue(rows: readonly CatalogueRow[]): CheckedCatalogue {
  const issues: CatalogueIssue[] = [];
  const products: Product[] = [];
  const seen = new Map<string, number>();
  if (rows.length === 0) {
    issues.push({ line: 1, field: "(file)", message: "has no products" });
  }
  if (rows.length > MAX_PRODUCTS) {
    issues.push({
      line: rows[MAX_PRODUCTS]?.line ?? 1,
      field: "(file)",
      message: `has ${rows.length} products; import at most ${MAX_PRODUCTS} per file`,
    });
  }
  for (const row of rows) {
    const before = issues.length;
    const problem = (field: string, message: string) =>
      issues.push({ line: row.line, field, message });
    // First, and alone: a card number is never echoed back or checked further.
    const card = findCardNumber(row.fields);
    if (card) {
      problem(card.field || "(row)", CARD_NUMBER_REFUSAL);
      continue;
    }
    for (const p of row.problems ?? []) problem(p.field, p.message);
    if ("(row)" in row.fields) {
      problem("(row)", `must be an object with ${CATALOGUE_COLUMNS.join(", ")}`);
      continue;
    }
    for (const key of Object.keys(row.fields)) {
      if (!(CATALOGUE_COLUMNS as readonly string[]).includes(key)) {
        problem(key, `is not a catalogue field: use ${CATALOGUE_COLUMNS.join(", ")}`);
      }
    }
    const text = (name: string) => {
      const v = row.fields[name];
      return typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : undefined;
    };
    const sku = text("sku");
    if (!sku) problem("sku", "is required");
    else if (!SKU.test(sku))
      problem(
        "sku",
        "must be 1–64 letters, digits, '.', '-' or '_', starting with a letter or digit",
      );
    else if (seen.has(sku)) problem("sku", `"${sku}" repeats line ${seen.get(sku)}: keep one row`);
    else seen.set(sku, row.line);

    const name = text("name");
    if (!name) problem("name", "is required");
    else if (name.length > 200) problem("name", "must be at most 200 characters");

    const price = text("price");
    const m = price === undefined ? null : PRICE.exec(price);
    const minor = m ? Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0")) : undefined;
    if (price === undefined || price === "") problem("price", "is required, e.g. 1499.00");
    else if (minor === undefined)
      problem("price", `must be an amount with at most 2 decimals, e.g. 1499.00 (got "${price}")`);
    else if (minor === 0) problem("price", "must be more than 0");

    const currency = text("currency");
    if (!currency) problem("currency", `is required: one of ${CURRENCIES.join(", ")}`);
    else if (!(CURRENCIES as readonly string[]).includes(currency))
      problem("currency", `must be one of ${CURRENCIES.join(", ")} (got "${currency}")`);

    const stockText = text("stock");
    const stock = stockText && /^\d{1,10}$/.test(stockText) ? Number(stockText) : undefined;
    if (stockText === undefined || stockText === "")
      problem("stock", "is required: the units available for sale");
    else if (stock === undefined || stock > MAX_STOCK)
      problem("stock", `must be a whole number from 0 to ${MAX_STOCK} (got "${stockText}")`);

    if (issues.length === before) {
      products.push({
        sku: sku as string,
        name: name as string,
        currency: currency as Currency,
        unitPriceMinor: minor as number,
        stock: stock as number,
      });
    }
  }
  return { products: issues.length ? [] : products, issues };
}

/** What an import did (or, in a dry run, would do) to each product. */
export interface ImportReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Products left as they were because they existed (`onlyNew`). */
  skipped: string[];
  dryRun: boolean;
}

/** How to import. */
export interface ImportOptions {
  /** Check and compare only; write nothing. */
  dryRun?: boolean;
  /** Add products that do not exist yet and leave existing ones alone (the demo's seeding). */
  onlyNew?: boolean;
  /** How many writes run at once. */
  concurrency?: number;
}

/**
 * Writes validated products: one conditional-free update per SKU (idempotent, so an import cut
 * short by a network failure is completed by running it again).
 */
export async function importCatalogue(
  deps: Pick<OrderDeps, "db" | "table">,
  products: readonly Product[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const existing = await getStockItems(
    deps,
    products.map((p) => p.sku),
  );
  const report: ImportReport = {
    created: [],
    updated: [],
    unchanged: [],
    skipped: [],
    dryRun: options.dryRun ?? false,
  };
  const writes: Product[] = [];
  for (const p of products) {
    const before = existing.get(p.sku);
    if (!before) {
      report.created.push(p.sku);
      writes.push(p);
    } else if (options.onlyNew) report.skipped.push(p.sku);
    else if (
      before.name === p.name &&
      before.currency === p.currency &&
      before.unitPriceMinor === p.unitPriceMinor &&
      before.available === p.stock
    )
      report.unchanged.push(p.sku);
    else {
      report.updated.push(p.sku);
      writes.push(p);
    }
  }
  if (report.dryRun) return report;
  const queue = [...writes];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) await writeProduct(deps, p);
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return report;
}

async function writeProduct(deps: Pick<OrderDeps, "db" | "table">, p: Product): Promise<void> {
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.table,
      Key: keys.stock(p.sku),
      UpdateExpression:
        "SET sku = :sku, #name = :name, currency = :currency, unitPriceMinor = :price, available = :stock, reserved = if_not_exists(reserved, :zero), shipped = if_not_exists(shipped, :zero)",
      ExpressionAttributeNames: { "#name": "name" },
      ExpressionAttributeValues: {
        ":sku": p.sku,
        ":name": p.name,
        ":currency": p.currency,
        ":price": p.unitPriceMinor,
        ":stock": p.stock,
        ":zero": 0,
      },
    }),
  );
}

/** A product's price as people write it (`1499.00`). */
export function priceText(p: Pick<Product, "unitPriceMinor">): string {
  return toDecimal(p.unitPriceMinor).toFixed(2);
}
