/**
 * Property-based test of the saga's invariants (saga-invariants.ts) under generated orders and
 * fault plans, on the parts users run: the durable local runtime (createRuntime on a temporary
 * data directory, virtual clock), every handler loaded from the topology and run as its function
 * (links and IAM enforced), DynamoDB Local and the SES outbox of the test run, and the approver
 * deciding through the approval API from the emailed link. Faults: handlers failing before or
 * after their effect, delivered twice (in sequence or at once), answering after their timeout;
 * the runtime dying mid-invocation or while orders wait for approval, then resuming from its data
 * directory; approvals approved, rejected or left to time out (and clicked too late).
 *
 * Sized for `npm test` on a small machine; `npm run soak` runs the same batches by the thousand.
 */
import "./quiet-logs.ts";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchPlanArbitrary } from "./saga-arbitraries.ts";
import { type FaultWorld, openFaultWorld, runBatch } from "./saga-batch.ts";

/** Batches of 5 concurrent sagas (SAGA_PROPERTY_BATCHES overrides, e.g. to reproduce a seed). */
const BATCHES = Number(process.env.SAGA_PROPERTY_BATCHES ?? 60);
const SAGAS = BATCHES * 5;

let fw: FaultWorld;
beforeAll(async () => {
  fw = await openFaultWorld();
});
afterAll(() => fw?.world.close());

describe("order saga invariants under faults (real runtime, handlers, DynamoDB Local)", () => {
  it(`hold for ${SAGAS} generated sagas in ${BATCHES} batches of 5`, async () => {
    let sagas = 0;
    let crashes = 0;
    let approvals = 0;
    let timeouts = 0;
    await fc.assert(
      fc.asyncProperty(batchPlanArbitrary({ min: 5, max: 5 }), async (plan) => {
        const outcome = await runBatch(fw, plan);
        sagas += outcome.sagas;
        crashes += outcome.crashes;
        approvals += outcome.runs.filter((r) => r.clicks.some((c) => c.status === 200)).length;
        timeouts += outcome.runs.filter((r) => r.error === "ApprovalTimedOut").length;
        expect(outcome.violations).toEqual([]);
      }),
      { numRuns: BATCHES, seed: 20251126, endOnFailure: true },
    );

    expect(sagas).toBe(SAGAS);
    // The plans must have exercised what they are for, or the property proved little.
    expect(crashes).toBeGreaterThan(0);
    expect(approvals).toBeGreaterThan(0);
    expect(timeouts).toBeGreaterThan(0);
  }, 600_000);
});
