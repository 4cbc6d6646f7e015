/**
 * The approvals sweep (the SendReminders schedule: a cron on AWS, an interval locally, a virtual
 * clock in tests): sends each reminder once, escalates requests nobody decided in time, expires
 * overdue requests (expiry counts as rejection: the task fails with `Approval.Expired`) and tells
 * their requester, re-sends first emails that failed, and re-delivers decisions Step Functions did
 * not receive. It reads the sweep index (sweep-index.ts) oldest first, page after page, so no number
 * of records ahead of a due one can keep it from being handled in the same run.
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { escalate } from "./approvers-change.ts";
import { SYSTEM_ACTOR, TASK_GONE } from "./constants.ts";
import { decisionOutput } from "./decide.ts";
import type { ApprovalDeps } from "./deps.ts";
import { expiredEmail } from "./emails.ts";
import { emailApprovers, emailRequest, mail } from "./notify.ts";
import type { ApprovalService } from "./service.ts";
import type { SweepCursor } from "./sweep-index.ts";
import { type ApprovalRecord, principalOf } from "./types.ts";

export { TASK_GONE } from "./constants.ts";

/** The sweep stops reading more pages when its invocation has less time left than this. */
const SWEEP_MARGIN_MS = 10_000;

export interface SweepReport {
  /** Requests whose first emails had failed and went out in this sweep. */
  emailed: string[];
  reminded: string[];
  escalated: string[];
  expired: string[];
  renotified: string[];
}

/** One run of the sweep over a service's records. */
export class ApprovalSweep {
  constructor(
    private readonly service: ApprovalService,
    private readonly deps: Pick<ApprovalDeps, "sfn" | "ses" | "sender">,
  ) {}

  /**
   * The periodic sweep (cron on AWS, an interval locally, a virtual clock in tests): reminds
   * approvers once before expiry, expires overdue requests and tells their requester, and
   * re-delivers decisions Step Functions did not receive. It reads what is due page after page,
   * oldest first, until nothing due is left — or until `timeLeftMs` (the Lambda's remaining time)
   * says to stop, and then the next run goes on where the index stands.
   */
  async run(options: { timeLeftMs?: () => number } = {}): Promise<SweepReport> {
    const report: SweepReport = {
      emailed: [],
      reminded: [],
      escalated: [],
      expired: [],
      renotified: [],
    };
    const now = this.service.now;
    let cursor: SweepCursor | undefined;
    do {
      const page = await this.service.store.duePage(now, cursor);
      for (const rec of page.items) await this.sweepOne(rec, now, report);
      cursor = page.next;
      if (cursor && (options.timeLeftMs?.() ?? Number.POSITIVE_INFINITY) < SWEEP_MARGIN_MS) {
        this.service.log.warn(
          "sweep stopped before the end of what is due; the next run goes on",
          {},
        );
        break;
      }
    } while (cursor);
    if (
      report.emailed.length +
        report.reminded.length +
        report.escalated.length +
        report.expired.length +
        report.renotified.length >
      0
    ) {
      this.service.log.info("sweep", { ...report });
    }
    return report;
  }

  /** The sweep's work on one due record; a failure is logged and left for the next run. */
  private async sweepOne(rec: ApprovalRecord, now: Date, report: SweepReport): Promise<void> {
    const iso = now.toISOString();
    const s = this.service;
    try {
      if (rec.status === "PENDING" && now.getTime() >= Date.parse(rec.expiresAt)) {
        if (await s.store.expire(rec.approvalId, iso)) {
          await s.record(rec.approvalId, "expired", SYSTEM_ACTOR, "system", {
            expiresAt: rec.expiresAt,
          });
          await this.failTask(rec);
          await this.tellRequesterExpired(rec);
          report.expired.push(rec.approvalId);
        }
      } else if (rec.status === "PENDING" && !rec.emailedAt) {
        if (await emailApprovers(s, rec)) report.emailed.push(rec.approvalId);
      } else if (
        rec.status === "PENDING" &&
        rec.escalation &&
        !rec.escalatedAt &&
        iso >= rec.escalation.at
      ) {
        if (await escalate(s, rec)) report.escalated.push(rec.approvalId);
      } else if (
        rec.status === "PENDING" &&
        (rec.remindAts[rec.remindersSent ?? 0] ?? "~") <= iso
      ) {
        // Claim first, then send: a reminder goes out at most once even if sweeps overlap.
        const index = rec.remindersSent ?? 0;
        if (!(await s.store.claimReminder(rec, index))) return;
        const waiting = rec.approvers.filter((a) => !rec.approvedBy.includes(principalOf(rec, a)));
        await s.record(rec.approvalId, "reminded", SYSTEM_ACTOR, "system", { to: waiting, index });
        for (const approver of waiting) await emailRequest(s, rec, approver, { reminder: true });
        report.reminded.push(rec.approvalId);
      } else if (rec.status === "PENDING") {
        await s.store.rekey(rec);
      } else if (rec.status === "EXPIRED" && !rec.expiryNotifiedAt) {
        await this.tellRequesterExpired(rec);
        report.expired.push(rec.approvalId);
      } else if ((rec.status === "APPROVED" || rec.status === "REJECTED") && !rec.notifiedAt) {
        await this.redeliver(rec);
        report.renotified.push(rec.approvalId);
      } else {
        await s.store.notified(rec.approvalId, iso);
      }
    } catch (err) {
      s.log.error("sweep step failed", {
        approvalId: rec.approvalId,
        error: (err as Error).name,
      });
    }
  }

  private async tellRequesterExpired(rec: ApprovalRecord): Promise<void> {
    if (
      !(await this.service.store.mark(
        rec.approvalId,
        "expiryNotifiedAt",
        this.service.now.toISOString(),
        null,
      ))
    )
      return;
    await mail(
      this.service,
      rec,
      rec.requester,
      expiredEmail({ request: rec, expiresAt: rec.expiresAt }),
      "expired",
    );
  }

  /** Safety net when the saga's own TimeoutSeconds is longer than the request's: end the wait. */
  private async failTask(rec: ApprovalRecord): Promise<void> {
    try {
      await this.deps.sfn.send(
        new SendTaskFailureCommand({
          taskToken: rec.taskToken,
          error: "Approval.Expired",
          cause: `approval ${rec.approvalId} expired at ${rec.expiresAt} without a decision`,
        }),
      );
    } catch (err) {
      if (!TASK_GONE.has((err as { name?: string }).name ?? "")) throw err;
      return; // The workflow's own TimeoutSeconds ended the wait first.
    }
    await this.service.record(rec.approvalId, "delivered", SYSTEM_ACTOR, "system", {
      outcome: "expired",
    });
  }

  private async redeliver(rec: ApprovalRecord): Promise<void> {
    const output = decisionOutput(rec);
    const iso = this.service.now.toISOString();
    try {
      await this.deps.sfn.send(
        new SendTaskSuccessCommand({ taskToken: rec.taskToken, output: JSON.stringify(output) }),
      );
    } catch (err) {
      const name = (err as { name?: string }).name ?? "";
      if (name === "TaskTimedOut") {
        await this.service.store.decisionTooLate(rec.approvalId, iso);
        return;
      }
      // Gone for another reason: most likely our first delivery did arrive.
      if (!TASK_GONE.has(name)) throw err;
    }
    await this.service.store.notified(rec.approvalId, iso);
    await this.service.record(rec.approvalId, "delivered", SYSTEM_ACTOR, "system", {
      outcome: output.decision,
      retried: true,
    });
  }
}
