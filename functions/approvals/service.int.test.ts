import type { SESv2Client } from "@aws-sdk/client-sesv2";
import { describe, expect, it } from "vitest";
import {
  approvalPayload,
  captureLog,
  mailTo,
  people,
  recordingSfn,
  testDeps,
  virtualClock,
} from "../../test/approvals/harness.ts";
import { ApprovalService } from "./service.ts";

function arrange(options: { sesFailures?: number } = {}) {
  const clock = virtualClock();
  const sfn = recordingSfn();
  const log = captureLog();
  const real = testDeps().ses;
  let failures = options.sesFailures ?? 0;
  // SES refusing the way a throttled account does, for the first `sesFailures` sends.
  const ses = {
    send: (command: Parameters<SESv2Client["send"]>[0]) =>
      failures-- > 0
        ? Promise.reject(
            Object.assign(new Error("Maximum sending rate exceeded."), {
              name: "TooManyRequestsException",
            }),
          )
        : real.send(command),
  } as unknown as SESv2Client;
  const service = new ApprovalService(
    testDeps({
      clock: clock.now,
      sfn: sfn.client,
      ses,
      log,
      settings: { approvalTimeoutSeconds: 3600 },
    }),
  );
  return { clock, sfn, service, log, who: people() };
}

describe("approvals sweep", () => {
  it("re-delivers a decision Step Functions did not receive, once, after a minute", async () => {
    const { clock, sfn, service, who } = arrange();
    const { approvalId } = await service.request(
      approvalPayload({ requester: who.requester, approvers: [who.a] }),
    );
    sfn.failNext("ServiceUnavailable");
    const { outcome } = await service.decide({ approvalId, by: who.a, decision: "approve" });
    sfn.failNext(undefined);
    expect(outcome).toBe("approved");
    expect(sfn.successes).toHaveLength(0);

    expect((await service.sweep()).renotified).toEqual([]);
    clock.advance(61_000);
    expect((await service.sweep()).renotified).toEqual([approvalId]);
    expect(await service.sweep()).toEqual({
      emailed: [],
      reminded: [],
      expired: [],
      renotified: [],
      escalated: [],
    });
    expect(sfn.successes).toHaveLength(1);
    expect(sfn.successes[0]?.output).toMatchObject({ decision: "approve", by: who.a });
    expect((await service.get(approvalId)).notifiedAt).toBeDefined();
  });

  it("reminds only approvers who have not approved yet", async () => {
    const { clock, service, who } = arrange();
    const { approvalId } = await service.request(
      approvalPayload({ requester: who.requester, approvers: [who.a, who.b], required: 2 }),
    );
    await service.decide({ approvalId, by: who.a, decision: "approve" });
    clock.advance(45 * 60 * 1000);
    expect((await service.sweep()).reminded).toEqual([approvalId]);
    const reminded = async (email: string) =>
      (await mailTo(email)).filter((m) => m.subject.startsWith("Reminder:")).length;
    expect(await reminded(who.a)).toBe(0);
    expect(await reminded(who.b)).toBe(1);
  });

  it("overlapping sweeps send each reminder and expiry email once", async () => {
    const { clock, service, who } = arrange();
    await service.request(approvalPayload({ requester: who.requester, approvers: [who.a] }));
    clock.advance(45 * 60 * 1000);
    await Promise.all([service.sweep(), service.sweep(), service.sweep()]);
    clock.advance(15 * 60 * 1000);
    await Promise.all([service.sweep(), service.sweep(), service.sweep()]);
    expect((await mailTo(who.a)).filter((m) => m.subject.startsWith("Reminder:"))).toHaveLength(1);
    expect(await mailTo(who.requester)).toHaveLength(1);
  });

  it("expires an overdue request, ends the task and tells the requester", async () => {
    const { clock, sfn, service, who } = arrange();
    const { approvalId } = await service.request(
      approvalPayload({ requester: who.requester, approvers: [who.a] }),
    );
    clock.advance(3600 * 1000);
    const report = await service.sweep();
    expect(report.expired).toEqual([approvalId]);
    expect((await service.get(approvalId)).status).toBe("EXPIRED");
    expect(sfn.failures).toHaveLength(1);
    expect(sfn.failures[0]?.error).toBe("Approval.Expired");
    const mails = await mailTo(who.requester);
    expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining("expired")]);
  });

  it("keeps the order waiting when the approvers' email fails, and the sweep sends it a minute later", async () => {
    const { clock, sfn, service, log, who } = arrange({ sesFailures: 1 });

    const requested = await service.request(
      approvalPayload({ requester: who.requester, approvers: [who.a] }),
    );

    expect(requested.approvers).toEqual([who.a]);
    expect(await mailTo(who.a)).toHaveLength(0);
    expect(log.lines.join("\n")).toMatch(/could not email the approvers.*TooManyRequestsException/);
    expect((await service.sweep()).emailed).toEqual([]);

    clock.advance(61_000);
    expect((await service.sweep()).emailed).toEqual([requested.approvalId]);
    expect(await service.sweep()).toMatchObject({ emailed: [], reminded: [] });
    expect((await mailTo(who.a)).map((m) => m.subject)).toEqual([
      expect.not.stringContaining("Reminder"),
    ]);
    expect(sfn.failures).toHaveLength(0);

    const { outcome } = await service.decide({
      approvalId: requested.approvalId,
      by: who.a,
      decision: "approve",
    });
    expect(outcome).toBe("approved");
  });
});
