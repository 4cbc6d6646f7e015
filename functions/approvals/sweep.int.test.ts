/**
 * The sweep cannot be starved. Against DynamoDB Local with a virtual clock and the schedule's
 * interval (15 minutes): approvals with the longest allowed timeout, and records planted with an
 * absurd one (what an unbounded timeout used to store), never delay a normal request's expiry by
 * more than one sweep; and a run that finds more due records than one page holds finishes them.
 */
import { describe, expect, it } from "vitest";
import {
  approvalPayload,
  captureLog,
  people,
  recordingSfn,
  testDeps,
  virtualClock,
} from "../../test/approvals/harness.ts";
import { DEFAULT_MAX_APPROVAL_TIMEOUT_SECONDS } from "../shared/approval-timeout.ts";
import { ValidationError } from "./errors.ts";
import { ApprovalService } from "./service.ts";
import type { ApprovalRecord } from "./types.ts";

/** The reminder schedule's interval (stacks/topology.ts: rate(15 minutes)). */
const SWEEP_INTERVAL_MS = 15 * 60 * 1000;

function arrange() {
  const clock = virtualClock();
  const sfn = recordingSfn();
  const who = people();
  const service = new ApprovalService(
    testDeps({
      clock: clock.now,
      sfn: sfn.client,
      log: captureLog(),
      settings: { approvalTimeoutSeconds: 3600, approvers: [who.a] },
    }),
  );
  return { clock, sfn, service, who };
}

describe("the approvals sweep", () => {
  it("expires a normal request within one interval, behind 100 at the longest timeout and 100 planted far in the future", async () => {
    const { clock, service, who } = arrange();
    for (let i = 0; i < 100; i++) {
      await service.request(
        approvalPayload({
          requester: who.requester,
          timeoutSeconds: DEFAULT_MAX_APPROVAL_TIMEOUT_SECONDS,
        }),
      );
    }
    // What an unbounded timeout (1e12 s, year 33715) stored before the limit existed.
    const start = clock.now();
    for (let i = 0; i < 100; i++) {
      const far = new Date(start.getTime() + 1e15).toISOString();
      const planted: ApprovalRecord = {
        approvalId: `planted-${who.a.slice(6, 14)}-${i}`,
        taskToken: `token-planted-${i}`,
        executionArn: "arn:aws:states:us-east-1:000000000000:execution:OrderSaga:planted",
        title: `planted ${i}`,
        requester: who.requester,
        approvers: [who.a],
        required: 1,
        approvals: [],
        approvedBy: [],
        status: "PENDING",
        summary: [{ type: "money", label: "Total", amount: 1, currency: "EUR" }],
        createdAt: start.toISOString(),
        expiresAt: far,
        remindAts: [far],
        remindersSent: 0,
        emailedAt: start.toISOString(),
      };
      await service.store.create(planted);
    }
    const normal = await service.request(
      approvalPayload({ requester: who.requester, timeoutSeconds: 3600 }),
    );
    const expiresAt = Date.parse(normal.expiresAt);

    let expiredAt: number | undefined;
    for (let sweep = 0; sweep < 12 && expiredAt === undefined; sweep++) {
      clock.advance(SWEEP_INTERVAL_MS);
      const report = await service.sweep();
      if (report.expired.includes(normal.approvalId)) expiredAt = clock.now().getTime();
    }

    expect(expiredAt).toBeDefined();
    expect((expiredAt as number) - expiresAt).toBeLessThanOrEqual(SWEEP_INTERVAL_MS);
    expect((await service.get(normal.approvalId)).status).toBe("EXPIRED");
  });

  it("refuses a timeout past the limit, naming the field and the limit", async () => {
    const { service, who } = arrange();
    const tooLong = service.request(
      approvalPayload({ requester: who.requester, timeoutSeconds: 1e12 }),
    );
    await expect(tooLong).rejects.toBeInstanceOf(ValidationError);
    await expect(tooLong).rejects.toThrow(/timeoutSeconds: .*from 1 to 2592000 \(30 days/);
  });

  it("goes on past one page: 150 due at once all expire in one run", async () => {
    const { clock, sfn, service, who } = arrange();
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) {
      ids.push(
        (await service.request(approvalPayload({ requester: who.requester, timeoutSeconds: 60 })))
          .approvalId,
      );
    }
    clock.advance(61_000);

    const report = await service.sweep();

    expect(report.expired.sort()).toEqual([...ids].sort());
    expect(sfn.failures).toHaveLength(150);
  });
});
