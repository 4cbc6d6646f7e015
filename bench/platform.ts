/**
 * The local platform as the saga and approval benches use it: the real `startPlatform` (DynamoDB
 * Local, the SES outbox, the durable runtime with the task handlers in-process, the approval API)
 * in a throwaway data directory, plus the benchmark's own catalogue and orders.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HistoryEvent } from "../local/asl/types.ts";
import type { SfnRuntime } from "../local/sfn/index.ts";
import { progress } from "./stats.ts";

/** The platform's parts a bench drives. */
export interface BenchPlatform {
  runtime: SfnRuntime;
  apiUrl: string;
  sesEndpoint: string;
  stateMachineArn: string;
  /** A unique prefix for this run's SKUs and order ids. */
  runId: string;
  stop(): Promise<void>;
}

/** SKUs the bench seeds: plenty of stock, spread so 50 orders in flight rarely touch one item. */
export const BENCH_SKU_COUNT = 25;

export async function startBenchPlatform(section: string): Promise<BenchPlatform> {
  const { startPlatform } = await import("../local/platform/start.ts");
  const dataDir = mkdtempSync(join(tmpdir(), `countersign-bench-${section}-`));
  const t0 = performance.now();
  const platform = await startPlatform({
    dataDir,
    port: 0,
    log: (line) => progress(section, line),
    sweepTimer: false,
  });
  progress(section, `platform up in ${Math.round(performance.now() - t0)} ms`);
  const runId = `b${randomBytes(3).toString("hex")}`;
  await seedCatalogue(runId);
  return {
    runtime: platform.runtime,
    apiUrl: platform.urls.api,
    sesEndpoint: platform.urls.ses,
    stateMachineArn: platform.urls.stateMachineArn,
    runId,
    async stop() {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function sku(runId: string, i: number): string {
  return `${runId}-SKU-${i % BENCH_SKU_COUNT}`;
}

async function seedCatalogue(runId: string): Promise<void> {
  const { defaultDeps } = await import("../functions/orders/deps.ts");
  const { putStock } = await import("../functions/orders/inventory.ts");
  const deps = defaultDeps();
  for (let i = 0; i < BENCH_SKU_COUNT; i++) {
    await putStock(deps, {
      sku: sku(runId, i),
      name: `Bench item ${i}`,
      currency: "EUR",
      unitPriceMinor: 1_000 + i * 100,
      available: 1_000_000,
    });
  }
}

/**
 * The execution input of order `i`: two lines, 2 × 10–34 EUR each, so below the 1,000 EUR approval
 * threshold; with `needsApproval` the threshold is lowered to 0 for that order (the saga's per-order
 * override), so it waits for an approver.
 */
export function benchOrder(runId: string, i: number, needsApproval = false) {
  return {
    orderId: `${runId}-ord-${i}`,
    customer: { name: "Bench Customer", email: `customer-${i}@bench.countersign.local` },
    currency: "EUR",
    lines: [
      { sku: sku(runId, i), quantity: 1 },
      { sku: sku(runId, i + 7), quantity: 1 },
    ],
    payment: { method: "pm_card_visa" },
    shipping: { line1: "1 Bench Street", city: "Berlin", postalCode: "10115", country: "DE" },
    ...(needsApproval ? { approvalThreshold: 0 } : {}),
  };
}

/** Every history event of an execution (all pages). */
export function fullHistory(runtime: SfnRuntime, executionArn: string): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = runtime.getExecutionHistory({
      executionArn,
      maxResults: 1000,
      ...(nextToken ? { nextToken } : {}),
    });
    for (const e of page.events) {
      events.push({ ...e, timestamp: e.timestamp.getTime() } as HistoryEvent);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
