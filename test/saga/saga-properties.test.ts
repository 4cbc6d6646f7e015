/**
 * Property-based test of the saga's invariants (see saga-batch.ts) under generated orders and
 * fault plans: handlers failing before or after their effect, delivered twice (in sequence or at
 * once), crashes with replay-and-resume between steps, approvals approved, rejected or timed out.
 * Concurrent sagas in a batch compete for the same stock.
 *
 * Runs on the in-memory DynamoDB double (local/emulators/memory-dynamodb.ts, checked against
 * DynamoDB Local by its differential test) so ≥ 1,000 sagas fit in a normal `npm test`.
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureTable } from "../../functions/shared/table-schema.ts";
import { type MemoryDynamoDb, startMemoryDynamoDb } from "../../local/emulators/memory-dynamodb.ts";
import { batchPlanArbitrary } from "./saga-arbitraries.ts";
import { runBatch } from "./saga-batch.ts";

/** Batches of 5 concurrent sagas; 200 (1,000 sagas) unless SAGA_PROPERTY_BATCHES says otherwise. */
const BATCHES = Number(process.env.SAGA_PROPERTY_BATCHES ?? 200);
const MIN_SAGAS = BATCHES * 5;
let memory: MemoryDynamoDb;

beforeAll(async () => {
  memory = await startMemoryDynamoDb();
  // Before any handler creates its client: this file's handlers talk to the in-memory double.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = memory.endpoint;
  await ensureTable(new DynamoDBClient({}), inject("tableName"));
});
afterAll(() => memory.stop());

describe("order saga invariants under faults", () => {
  it(`hold for at least ${MIN_SAGAS} generated sagas`, async () => {
    let sagas = 0;
    let crashes = 0;
    await fc.assert(
      fc.asyncProperty(batchPlanArbitrary({ min: 5, max: 5 }), async (plan) => {
        const outcome = await runBatch(plan);
        sagas += outcome.sagas;
        crashes += outcome.results.reduce((n, r) => n + r.crashes, 0);
        expect(outcome.violations).toEqual([]);
      }),
      { numRuns: BATCHES, seed: 20251126, endOnFailure: true },
    );
    expect(sagas).toBeGreaterThanOrEqual(MIN_SAGAS);
    expect(crashes).toBeGreaterThan(0);
  }, 600_000);
});
