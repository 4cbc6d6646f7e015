/**
 * Checking an order against the saga's rules and the catalogue it is priced from, writing
 * nothing. ValidateOrder runs it before it records an order; a client (the CLI) runs the very same
 * check before it starts the saga, so a bad order is refused at once, with every problem named by
 * field, and no execution (nor a history holding the refused input) exists for it.
 */
import { BatchGetCommand } from "@aws-sdk/lib-dynamodb";
import { CARD_NUMBER_REFUSAL, findCardNumber } from "../shared/card-numbers.ts";
import type { OrderDeps } from "./deps.ts";
import type { FieldIssue } from "./errors.ts";
import {
  CURRENCIES,
  keys,
  MAX_ORDER_BYTES,
  type OrderInput,
  orderInputSchema,
  type StockItem,
} from "./model.ts";
import { plainIssue } from "./plain-issues.ts";

/** What `checkOrder` found: every problem, and when there is none the parsed order and its stock. */
export type OrderCheck =
  | { ok: true; input: OrderInput; stock: Map<string, StockItem> }
  | { ok: false; issues: FieldIssue[] };

/**
 * Every problem of `raw` at once: size, schema (in plain words), repeated SKUs, SKUs the catalogue
 * does not have and currencies it does not price them in. A card number is refused alone, first,
 * so it is reported as what it is and never echoed back.
 */
export async function checkOrder(
  deps: Pick<OrderDeps, "db" | "table">,
  raw: unknown,
): Promise<OrderCheck> {
  const bytes = Buffer.byteLength(JSON.stringify(raw ?? null), "utf8");
  if (bytes > MAX_ORDER_BYTES) {
    const message = `is ${bytes} bytes; the limit is ${MAX_ORDER_BYTES} (256 KiB)`;
    return { ok: false, issues: [{ field: "(order)", message }] };
  }
  const card = findCardNumber(raw);
  if (card) {
    return {
      ok: false,
      issues: [{ field: card.field || "(order)", message: CARD_NUMBER_REFUSAL }],
    };
  }
  const parsed = orderInputSchema.safeParse(raw);
  const issues = parsed.success
    ? []
    : parsed.error.issues.map((i) => plainIssue(i, orderInputSchema));

  // The lines are checked against the catalogue even when other fields are wrong, so one round
  // of fixes is enough.
  const first = new Map<string, number>();
  for (const [i, sku] of skusOf(raw)) {
    const earlier = first.get(sku);
    if (earlier === undefined) first.set(sku, i);
    else
      issues.push({
        field: `lines[${i}].sku`,
        message: `"${sku}" repeats lines[${earlier}]; merge the quantities into one line`,
      });
  }
  const stock = first.size ? await getStockItems(deps, [...first.keys()]) : new Map();
  const currency = (raw as { currency?: unknown } | null)?.currency;
  for (const [sku, i] of first) {
    const item = stock.get(sku);
    if (!item) {
      issues.push({
        field: `lines[${i}].sku`,
        message: `unknown SKU "${sku}": the catalogue has no such product (see \`catalogue import\`)`,
      });
    } else if (CURRENCIES.includes(currency as never) && item.currency !== currency) {
      issues.push({
        field: "currency",
        message: `is ${String(currency)} but SKU "${sku}" is priced in ${item.currency}; order in ${item.currency}`,
      });
    }
  }
  if (!parsed.success || issues.length) return { ok: false, issues };
  return { ok: true, input: parsed.data, stock };
}

/**
 * The SKUs of a raw order's lines, by line index, that can be looked up; the schema reports the
 * others (a SKU that is empty or too long is no catalogue key: looking it up could only fail).
 */
function skusOf(raw: unknown): [number, string][] {
  const lines = (raw as { lines?: unknown } | null)?.lines;
  if (!Array.isArray(lines)) return [];
  return lines.flatMap((line, i): [number, string][] => {
    const sku = (line as { sku?: unknown } | null)?.sku;
    return typeof sku === "string" && sku.length > 0 && sku.length <= 64 ? [[i, sku]] : [];
  });
}

/** Stock items by SKU (missing SKUs are absent from the map). */
export async function getStockItems(
  deps: Pick<OrderDeps, "db" | "table">,
  skus: string[],
): Promise<Map<string, StockItem>> {
  const found = new Map<string, StockItem>();
  const pending: Record<string, unknown>[] = skus.map((sku) => keys.stock(sku));
  while (pending.length) {
    const { Responses, UnprocessedKeys } = await deps.db.send(
      new BatchGetCommand({
        RequestItems: { [deps.table]: { Keys: pending.splice(0, 100), ConsistentRead: true } },
      }),
    );
    for (const item of Responses?.[deps.table] ?? []) found.set(item.sku, item as StockItem);
    pending.push(...((UnprocessedKeys?.[deps.table]?.Keys as Record<string, unknown>[]) ?? []));
  }
  return found;
}
