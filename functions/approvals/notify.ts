/**
 * Mail to the people on a request: the request (first, as a reminder, or after escalation) with
 * each approver's own signed link, and notices without a link (the first approvers told who else
 * was asked, an approver told their delegate has it). Every mail is an `emailed` ledger entry
 * with the hash of the text it carried, so an auditor can tell what a person was shown.
 */
import { createHash } from "node:crypto";
import { SYSTEM_ACTOR } from "./constants.ts";
import { approvalRequestEmail, type EmailContent, noticeEmail, sendEmail } from "./emails.ts";
import { nextActionAt } from "./policy.ts";
import type { ApprovalService } from "./service.ts";
import type { ApprovalRecord } from "./types.ts";

/** How long the sweep waits before trying a request's first emails again after they failed. */
export const EMAIL_RETRY_MS = 60_000;

/** Sends one mail and records it. */
export async function mail(
  service: ApprovalService,
  rec: ApprovalRecord,
  to: string,
  content: EmailContent,
  purpose: string,
): Promise<void> {
  await sendEmail(service.deps.ses, service.deps.sender, to, content);
  await service.record(rec.approvalId, "emailed", SYSTEM_ACTOR, "email", {
    to,
    purpose,
    subject: content.subject,
    shown: createHash("sha256").update(content.text).digest("hex"),
  });
}

/** The approve/reject email to one approver: the request, its reminder, or its escalation. */
export async function emailRequest(
  service: ApprovalService,
  rec: ApprovalRecord,
  approver: string,
  options: { reminder?: boolean; escalatedFrom?: string[] } = {},
): Promise<void> {
  const onBehalfOf = rec.onBehalfOf?.[approver];
  const content = approvalRequestEmail({
    request: rec,
    approverCount: rec.approvers.length,
    link: service.link(rec, approver),
    ...(options.reminder ? { reminder: true } : {}),
    ...(onBehalfOf ? { onBehalfOf } : {}),
    ...(options.escalatedFrom ? { escalatedFrom: options.escalatedFrom } : {}),
  });
  const purpose = options.reminder ? "reminder" : options.escalatedFrom ? "escalation" : "request";
  await mail(service, rec, approver, content, purpose);
}

/** A notice without a decision link. */
export function notice(
  service: ApprovalService,
  rec: ApprovalRecord,
  to: string,
  subject: string,
  line: string,
): Promise<void> {
  return mail(service, rec, to, noticeEmail({ request: rec, subject, line }), "notice");
}

/**
 * Emails every approver the request (used by `request` and by the sweep), and tells each approver
 * whose delegate has it. Mail that fails (SES throttling or an outage that outlasts the SDK's
 * retries) does not fail the approval task: the workflow keeps waiting, the dashboard already
 * lists the request, and the sweep tries the emails again a minute later. Returns whether they
 * went out.
 */
export async function emailApprovers(
  service: ApprovalService,
  rec: ApprovalRecord,
): Promise<boolean> {
  try {
    for (const approver of rec.approvers) await emailRequest(service, rec, approver);
    for (const [delegate, principal] of Object.entries(rec.onBehalfOf ?? {})) {
      await notice(
        service,
        rec,
        principal,
        "Sent to your delegate",
        `You delegated your approvals to ${delegate}, so ${delegate} was asked to decide this request for you.`,
      );
    }
  } catch (err) {
    const retryAt = new Date(service.now.getTime() + EMAIL_RETRY_MS).toISOString();
    await service.store.reschedule(rec.approvalId, retryAt);
    service.log.error("could not email the approvers; the sweep will try again", {
      approvalId: rec.approvalId,
      error: (err as Error).name,
      retryAt,
    });
    return false;
  }
  // Back on the request's schedule: its next reminder, escalation or expiry.
  await service.store.mark(
    rec.approvalId,
    "emailedAt",
    service.now.toISOString(),
    nextActionAt(rec),
  );
  return true;
}
