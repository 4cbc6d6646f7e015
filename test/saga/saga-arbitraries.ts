/**
 * fast-check generators of saga batches (orders and their fault plans), and seeded sampling of the
 * same distribution for the soak run.
 */
import fc from "fast-check";
import { localDefinition, stateMachineTasks } from "../../local/platform/functions.ts";
import type { Crash, Fault, FaultKind } from "./faults.ts";
import { lambdaRetries } from "./retry-audit.ts";
import type { BatchPlan, Card, OrderPlan } from "./saga-batch.ts";

/** Every function the saga invokes, RequestApproval included (a fault there re-sends the email). */
const FUNCTIONS = stateMachineTasks();

/** Retries of a failed invocation, per function, from the definition's Retry rules. */
const RETRIES = lambdaRetries(localDefinition());

/**
 * Compensations must not run out of retries: a saga that cannot undo what it did needs a person,
 * not a test. Their faults leave them two attempts: the one that succeeds, and a spare for a
 * natural transient error (a transaction conflict with another order shares the retry count).
 */
const COMPENSATIONS = new Set<string>(["RefundPayment", "ReleaseStock", "MarkOrderFailed"]);

/**
 * How many invocations in a row a fault hits: 1–2 are absorbed by the step's retries; one more
 * than its retries exhausts them, so the compensation path runs (after an effect the saga may
 * never have heard of); compensations get up to all but two of their attempts.
 */
function timesFor(fn: string): fc.Arbitrary<number> {
  const retries = RETRIES.get(fn) ?? 0;
  return COMPENSATIONS.has(fn)
    ? fc.constantFrom(1, 2, Math.max(1, retries - 1))
    : fc.constantFrom(1, 2, retries + 1, retries + 1);
}

const fault: fc.Arbitrary<Fault> = fc.constantFrom(...FUNCTIONS).chain((fn) =>
  fc.oneof(
    // Lost answers (the effect happened) are the interesting case: weighted up.
    {
      weight: 6,
      arbitrary: fc.record({
        fn: fc.constant(fn),
        kind: fc.constantFrom<FaultKind>("before", "after", "after", "twice", "twiceConcurrent"),
        from: fc.constantFrom(0, 0, 1),
        times: timesFor(fn),
      }),
    },
    // A timeout costs its function's whole timeout in wall time (faults.ts), so it is rare and
    // single. Running out of retries is one rule for every Lambda error; `before`/`after` test it.
    {
      weight: 1,
      arbitrary: fc.record({
        fn: fc.constant(fn),
        kind: fc.constant<FaultKind>("timeout"),
        from: fc.constantFrom(0, 0, 1),
        times: fc.constant(1),
      }),
    },
  ),
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
 * of a given SKU (1–3 lines of 1–4 units); a SKU holds 1–4 units per order of the batch (unbiased:
 * fast-check's small-value bias would empty most shelves), so about one order in ten finds a
 * shelf emptied by the others, and most reach the payment and the approval.
 */
export function batchPlanArbitrary(size = { min: 5, max: 7 }): fc.Arbitrary<BatchPlan> {
  const units = fc.noBias(fc.integer({ min: size.max, max: 4 * size.max }));
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
