/**
 * fast-check generators of saga batches (orders and their fault plans), and seeded sampling of the
 * same distribution for the soak run.
 */
import fc from "fast-check";
import { stateMachineTasks } from "../../local/platform/functions.ts";
import type { Crash, Fault, FaultKind } from "./faults.ts";
import type { BatchPlan, Card, OrderPlan } from "./saga-batch.ts";

/** Every function the saga invokes, RequestApproval included (a fault there re-sends the email). */
const FUNCTIONS = stateMachineTasks();

/**
 * 1–2 in a row are absorbed by the step's 3 retries; 4 exhaust them, so the compensation path
 * runs after an effect the saga never heard of. Fewer than the compensations' 6 retries, which
 * must not run out (that would need a person, not a test).
 */
const times = fc.constantFrom(1, 2, 4, 4);

const fault: fc.Arbitrary<Fault> = fc.oneof(
  // Lost answers (the effect happened) are the interesting case: weighted up.
  {
    weight: 5,
    arbitrary: fc.record({
      fn: fc.constantFrom(...FUNCTIONS),
      kind: fc.constantFrom<FaultKind>("before", "after", "after", "twice", "twiceConcurrent"),
      from: fc.constantFrom(0, 0, 1),
      times,
    }),
  },
  // A timeout costs its function's whole timeout in wall time (faults.ts): at most two in a row.
  // Running out of retries is the same rule for every Lambda error, and `before`/`after` test it.
  {
    weight: 1,
    arbitrary: fc.record({
      fn: fc.constantFrom(...FUNCTIONS),
      kind: fc.constant<FaultKind>("timeout"),
      from: fc.constantFrom(0, 0, 1),
      times: fc.constantFrom(1, 2),
    }),
  },
);

const crash: fc.Arbitrary<Crash> = fc.record({ at: fc.nat(14), afterEffect: fc.boolean() });

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
  crashes: fc.uniqueArray(crash, { maxLength: 2, selector: (c) => c.at }),
});

/**
 * A batch of concurrent orders (5–7 by default) over three SKUs. An order wants about 1.7 units
 * of a given SKU (1–3 lines of 1–4 units); a SKU holds 0–4 units per order of the batch, so some
 * batches run short and their orders compete for the last units, while most orders get theirs.
 */
export function batchPlanArbitrary(size = { min: 5, max: 7 }): fc.Arbitrary<BatchPlan> {
  const units = fc.noBias(fc.nat(4 * size.max));
  return fc.record({
    stock: fc.tuple(units, units, units),
    orders: fc.array(order, { minLength: size.min, maxLength: size.max }),
    crashWhileWaiting: fc.boolean(),
  });
}

/** Plain seeded sampling of the same distribution (for the soak run, outside a property). */
export function sampleBatchPlans(count: number, seed: number, size?: { min: number; max: number }) {
  return fc.sample(batchPlanArbitrary(size), { numRuns: count, seed });
}
