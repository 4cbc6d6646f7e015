/**
 * fast-check generators of saga batches (orders + fault plans), and a seeded plain generator of
 * the same shape for the soak run.
 */
import fc from "fast-check";
import { stateMachineTasks } from "../../local/platform/functions.ts";
import type { Fault, FaultKind } from "./fault-driver.ts";
import type { BatchPlan, Card, OrderPlan } from "./saga-batch.ts";

/** The saga's own handlers a fault can hit (RequestApproval belongs to the approval API). */
const FUNCTIONS = stateMachineTasks().filter((fn) => fn !== "RequestApproval");

const fault: fc.Arbitrary<Fault> = fc.record({
  fn: fc.constantFrom(...FUNCTIONS),
  // Lost answers (the effect happened) are the interesting case: weight them double.
  kind: fc.constantFrom<FaultKind>("before", "after", "after", "twice", "twiceConcurrent"),
  from: fc.constantFrom(0, 0, 1),
  // 1–2 in a row are absorbed by the step's 3 retries; 4 exhaust them, so the compensation path
  // runs after an effect the saga never heard of. Fewer than the compensations' 6 retries, which
  // must not run out (that would need a person, not a test).
  times: fc.constantFrom(1, 2, 4, 4),
});

const card: fc.Arbitrary<Card> = fc.oneof(
  { weight: 6, arbitrary: fc.constant("succeeds" as const) },
  { weight: 1, arbitrary: fc.constant("declined" as const) },
  { weight: 2, arbitrary: fc.constant("flaky" as const) },
  { weight: 1, arbitrary: fc.constant("unavailable" as const) },
  { weight: 1, arbitrary: fc.constant("lostResponse" as const) },
);

const order: fc.Arbitrary<OrderPlan> = fc.record({
  lines: fc
    .uniqueArray(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 })
    .chain((skus) =>
      fc.tuple(
        ...skus.map((sku) => fc.integer({ min: 1, max: 4 }).map((quantity) => ({ sku, quantity }))),
      ),
    ),
  card,
  country: fc.oneof(
    { weight: 9, arbitrary: fc.constant("DE" as const) },
    { weight: 1, arbitrary: fc.constant("AQ" as const) },
  ),
  needsApproval: fc.boolean(),
  approval: fc.constantFrom(
    "approve" as const,
    "approve" as const,
    "reject" as const,
    "timeout" as const,
  ),
  faults: fc.array(fault, { maxLength: 3 }),
  crashes: fc.uniqueArray(fc.nat(14), { maxLength: 2 }),
});

/** A batch of concurrent orders (5–7 by default) over three SKUs with 0–12 units each. */
export function batchPlanArbitrary(size = { min: 5, max: 7 }): fc.Arbitrary<BatchPlan> {
  return fc.record({
    stock: fc.tuple(fc.nat(12), fc.nat(12), fc.nat(12)),
    orders: fc.array(order, { minLength: size.min, maxLength: size.max }),
  });
}

/** Plain seeded sampling of the same distribution (for the soak run, outside a property). */
export function sampleBatchPlans(count: number, seed: number): BatchPlan[] {
  return fc.sample(batchPlanArbitrary(), { numRuns: count, seed });
}
