/**
 * Expiry and reminders at their time, on the real store (DynamoDB Local) and a virtual clock: the
 * sweep timer wakes at the sweep index's next due time, so the reminder goes out and the request
 * expires — the task failed, the requester told — within a second of their times, not at the
 * next minute's sweep; and `approvals list`'s rule agrees from that second on.
 */
import { describe, expect, it } from "vitest";
import {
  approvalPayload,
  mailTo,
  people,
  recordingSfn,
  testDeps,
  virtualClock,
} from "../../test/approvals/harness.ts";
import { ApprovalService } from "./service.ts";
import { runSweepTimer } from "./sweep-timer.ts";

describe("the sweep timer on the real store", () => {
  it("reminds and expires within a second of their times", async () => {
    const clock = virtualClock("2030-01-01T09:00:00.250Z");
    const sfn = recordingSfn();
    const service = new ApprovalService(
      testDeps({ clock: clock.now, sfn: sfn.client, settings: { approvalTimeoutSeconds: 3630 } }),
    );
    const who = people();
    const { approvalId } = await service.request(
      approvalPayload({ requester: who.requester, approvers: [who.a] }),
    );
    const rec = await service.get(approvalId);
    const remindAt = Date.parse(rec.remindAts[0] ?? "");
    const expiresAt = Date.parse(rec.expiresAt);
    expect(remindAt).toBeLessThan(expiresAt);
    // Neither time is on a minute from the start: a sweep once a minute would be ~30 s late.
    expect((remindAt - clock.now().getTime()) % 60_000).not.toBe(0);
    expect((expiresAt - clock.now().getTime()) % 60_000).not.toBe(0);

    const happened: Record<string, number> = {};
    await runSweepTimer(
      {
        sweep: async () => {
          const report = await service.sweep();
          const t = clock.now().getTime();
          if (report.reminded.includes(approvalId)) happened.reminded ??= t;
          if (report.expired.includes(approvalId)) happened.expired ??= t;
        },
        nextDue: () => service.store.nextDue(),
        now: () => clock.now().getTime(),
        sleep: async (ms) => clock.advance(ms),
      },
      // Polling once a virtual minute is enough here: nothing new is made while it sleeps, so
      // each waking comes from the index's next due time.
      { until: expiresAt + 5_000, pollMs: 60_000 },
    );

    expect(happened.reminded! - remindAt).toBeGreaterThanOrEqual(0);
    expect(happened.reminded! - remindAt).toBeLessThan(1_000);
    expect(happened.expired! - expiresAt).toBeGreaterThanOrEqual(0);
    expect(happened.expired! - expiresAt).toBeLessThan(1_000);
    expect((await service.get(approvalId)).status).toBe("EXPIRED");
    expect(sfn.failures.map((f) => f.error)).toEqual(["Approval.Expired"]);
    expect((await mailTo(who.requester)).map((m) => m.subject)).toEqual([
      expect.stringContaining("Approval expired"),
    ]);
    expect((await mailTo(who.a)).filter((m) => m.subject.startsWith("Reminder:"))).toHaveLength(1);
  });
});
