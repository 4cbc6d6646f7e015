/**
 * Items 3 and 7: the whole order saga locally — the durable runtime, the real task handlers
 * in-process, DynamoDB Local, no approval — with 50 orders in flight: orders per minute and the
 * latency of each order (start to end). Then the happy path's state transitions, counted from a
 * real run's history, and the AWS cost per million orders that follows.
 */
import {
  BILLED_MS_PER_INVOCATION,
  countTransitions,
  deployedMemoryMB,
  lambdaDurationUsdPerMillionOrders,
  lambdaInvocations,
  usdPerMillionOrders,
} from "./cost.ts";
import type { Figure } from "./figures.ts";
import { type BenchPlatform, benchOrder, fullHistory, startBenchPlatform } from "./platform.ts";
import { percentile, progress } from "./stats.ts";

interface OrderOutcome {
  executionArn: string;
  status: string;
  latencyMs: number;
  error?: string;
}

/**
 * Runs orders from index `from`, keeping `inFlight` executions running, until `count` orders have
 * started or `budgetMs` has passed (then it only waits for those in flight).
 */
async function runOrders(
  p: BenchPlatform,
  from: number,
  count: number,
  inFlight: number,
  budgetMs: number,
  label: string,
): Promise<{ outcomes: OrderOutcome[]; elapsedMs: number; next: number }> {
  const outcomes: OrderOutcome[] = [];
  let next = from;
  const end = from + count;
  const started = performance.now();
  const stopStartingAt = started + budgetMs;
  let lastReport = started;
  const worker = async () => {
    while (next < end && performance.now() < stopStartingAt) {
      const i = next++;
      const order = benchOrder(p.runId, i);
      const t0 = performance.now();
      const { executionArn } = await p.runtime.startExecution({
        stateMachineArn: p.stateMachineArn,
        name: order.orderId,
        input: JSON.stringify(order),
      });
      const done = await p.runtime.waitForExecution(executionArn);
      outcomes.push({
        executionArn,
        status: done.status,
        latencyMs: performance.now() - t0,
        ...(done.error ? { error: done.error } : {}),
      });
      if (performance.now() - lastReport > 3_000) {
        lastReport = performance.now();
        progress(
          "saga",
          `${label}: ${outcomes.length} orders done, ${next - from - outcomes.length} in flight`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  return { outcomes, elapsedMs: performance.now() - started, next };
}

export async function runSagaBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  const inFlight = quick ? 5 : 50;
  const warmupCount = quick ? 5 : 100;
  // Budgets keep the section inside its slot on a slow or busy machine: the run then reports
  // fewer orders (the note says how many) instead of no figure at all.
  const warmupMs = quick ? 5_000 : 12_000;
  const measureMs = quick ? 3_000 : 25_000;
  const p = await startBenchPlatform("saga");
  try {
    progress("saga", `warm-up: up to ${warmupCount} orders, ${inFlight} in flight`);
    const warm = await runOrders(p, 0, warmupCount, inFlight, warmupMs, "warm-up");
    const warmRate = (warm.outcomes.length * 1000) / warm.elapsedMs;
    progress(
      "saga",
      `warm-up ${warmRate.toFixed(1)} orders/s; measuring for ${measureMs / 1000} s`,
    );
    const run = await runOrders(p, warm.next, 100_000, inFlight, measureMs, "measured");

    const failed = run.outcomes.filter((o) => o.status !== "SUCCEEDED");
    const latencies = run.outcomes.map((o) => o.latencyMs);
    const ordersPerMin = (run.outcomes.length * 60_000) / run.elapsedMs;
    const failureNote =
      failed.length > 0
        ? `${failed.length} of ${run.outcomes.length} orders did not succeed (${[...new Set(failed.map((f) => `${f.status} ${f.error ?? ""}`.trim()))].slice(0, 3).join("; ")})`
        : undefined;
    progress(
      "saga",
      `${run.outcomes.length} orders in ${(run.elapsedMs / 1000).toFixed(1)} s: ${Math.round(ordersPerMin)}/min${failureNote ? `; ${failureNote}` : ""}`,
    );

    // Orders that failed ran a shorter path: their rate says nothing of the saga's, so a run with
    // any failure gives no figure, only the reason (no fault is injected here: it is a bug).
    const measured = (value: number) => (failureNote ? null : value);
    const figures: Figure[] = [
      {
        name: "saga.ordersPerMin",
        value: measured(ordersPerMin),
        unit: "orders/min",
        note: `${run.outcomes.length} orders, ${inFlight} in flight${failureNote ? `; ${failureNote}` : ""}`,
      },
      { name: "saga.latencyMs.p50", value: measured(percentile(latencies, 50)), unit: "ms" },
      { name: "saga.latencyMs.p99", value: measured(percentile(latencies, 99)), unit: "ms" },
    ];

    // Item 7: one successful order's history, as AWS would bill it.
    const happy = run.outcomes.find((o) => o.status === "SUCCEEDED");
    if (!happy) {
      const why = failureNote ?? "no order succeeded";
      for (const name of [
        "saga.transitionsHappyPath",
        "saga.lambdaRequestsHappyPath",
        "saga.awsUsdPerMillionOrders",
        "saga.awsUsdPerMillionOrders.withLambdaDuration",
      ]) {
        figures.push({ name, value: null, unit: "", note: why });
      }
      return figures;
    }
    const history = fullHistory(p.runtime, happy.executionArn);
    const transitions = countTransitions(history);
    const invoked = lambdaInvocations(history);
    const lambdaRequests = invoked.length;
    const memories = [...new Set(invoked.map(deployedMemoryMB))].sort((a, b) => a - b);
    const base = usdPerMillionOrders(transitions, lambdaRequests);
    progress("saga", `happy path: ${transitions} transitions, ${lambdaRequests} Lambda requests`);
    figures.push(
      {
        name: "saga.transitionsHappyPath",
        value: transitions,
        unit: "transitions",
        note: "StateEntered events of a real run (order below the approval threshold)",
      },
      { name: "saga.lambdaRequestsHappyPath", value: lambdaRequests, unit: "requests" },
      {
        name: "saga.awsUsdPerMillionOrders",
        value: base,
        unit: "USD",
        note: "Step Functions transitions + Lambda requests; Lambda duration, DynamoDB, SES excluded",
      },
      {
        name: "saga.awsUsdPerMillionOrders.withLambdaDuration",
        value: base + lambdaDurationUsdPerMillionOrders(invoked),
        unit: "USD",
        note: `plus Lambda duration at ${BILLED_MS_PER_INVOCATION} ms per invocation × the memory each function is deployed with (${memories.join(", ")} MB, stacks/topology.ts), arm64`,
      },
    );
    return figures;
  } finally {
    await p.stop();
  }
}
