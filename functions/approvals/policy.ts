/**
 * Who is asked and when: approver references (addresses or Settings.groups) resolved to
 * addresses, the requester never among them, M of N checked against who is left, reminder and
 * escalation times, and the record's next action time for the sweep. Problems are field issues
 * (`approvers.1`, `required`) so a bad request fails naming what to fix.
 *
 * There are no default approvers: a deployment names them (COUNTERSIGN_APPROVERS), the local
 * platform its demo ones (local/platform/demo.ts).
 */
import type { FieldIssue } from "./errors.ts";
import type { ApprovalRecord } from "./types.ts";

export const DEFAULT_TIMEOUT_SECONDS = 24 * 60 * 60;

/** The approvals' part of the linked Settings resource. */
export interface ApprovalSettings {
  /** Orders above this total need approval (read by ValidateOrder, not by the approvals). */
  approvalThreshold?: number;
  /** Orders above this total need two approvals (read by ValidateOrder). */
  dualApprovalThreshold?: number;
  approvalTimeoutSeconds?: number;
  /** The longest an approval may wait (default 30 days, functions/shared/approval-timeout.ts). */
  maxApprovalTimeoutSeconds?: number;
  /** Who is asked when a request names no approvers. */
  approvers?: string[];
  /** Named groups of approvers a request may name instead of addresses. */
  groups?: Record<string, string[]>;
  /** Who may see orders and executions in the dashboard, and reassign requests. */
  operators?: string[];
  /** In whose name workflows without an authenticated caller ask (default: the sender). */
  requester?: string;
  /** Where requests are also announced (webhook.ts). */
  webhookUrl?: string;
}

/**
 * Addresses for approver references: an address stands for itself, a name for its group in
 * Settings.groups. Unknown names are issues of `field.<index>`.
 */
export function resolveApprovers(
  refs: readonly string[],
  settings: ApprovalSettings,
  field: string,
): { addresses: string[]; issues: FieldIssue[] } {
  const groups = settings.groups ?? {};
  const addresses: string[] = [];
  const issues: FieldIssue[] = [];
  for (const [i, ref] of refs.entries()) {
    if (ref.includes("@")) addresses.push(ref.toLowerCase());
    else if (Object.hasOwn(groups, ref))
      addresses.push(...(groups[ref] ?? []).map((a) => a.toLowerCase()));
    else {
      const known = Object.keys(groups);
      issues.push({
        field: `${field}.${i}`,
        message: `unknown approver group "${ref}": ${known.length ? `Settings.groups has ${known.join(", ")}` : "Settings.groups defines none"}; name an address or a defined group`,
      });
    }
  }
  return { addresses: [...new Set(addresses)], issues };
}

/** The approvers of a request (requester excluded) and the issues that make it impossible. */
export function chooseApprovers(
  settings: ApprovalSettings,
  request: { requester: string; approvers?: readonly string[]; required: number },
): { approvers: string[]; issues: FieldIssue[] } {
  const named = request.approvers !== undefined;
  const refs = request.approvers ?? settings.approvers ?? [];
  const { addresses, issues } = resolveApprovers(refs, settings, "approvers");
  const approvers = addresses.filter((a) => a !== request.requester.toLowerCase());
  if (issues.length > 0) return { approvers, issues };
  if (approvers.length === 0) {
    issues.push({
      field: "approvers",
      message: named
        ? "names nobody other than the requester; name at least one other approver"
        : "none given and Settings.approvers names nobody other than the requester; name approvers in the request or set Settings.approvers",
    });
  } else if (request.required > approvers.length) {
    issues.push({
      field: "required",
      message: `is ${request.required} but only ${approvers.length} approver(s) other than the requester are asked; lower it or name more approvers`,
    });
  }
  return { approvers, issues };
}

/** When to send the reminders: the request's offsets before expiry, else one default. */
export function reminderTimes(createdAt: Date, expiresAt: Date, offsets?: number[]): string[] {
  const span = expiresAt.getTime() - createdAt.getTime();
  // Default: an hour before expiry, or at three quarters of a short timeout.
  const leads = offsets?.map((s) => s * 1000) ?? [Math.min(60 * 60 * 1000, span / 4)];
  return [
    ...new Set(
      leads
        .filter((lead) => lead < span)
        .map((lead) => new Date(expiresAt.getTime() - lead).toISOString()),
    ),
  ].sort();
}

/**
 * When the sweep should next look at a PENDING record: its next reminder, its escalation, or its
 * expiry, whichever comes first.
 */
export function nextActionAt(
  rec: Pick<
    ApprovalRecord,
    "remindAts" | "remindersSent" | "escalation" | "escalatedAt" | "expiresAt"
  >,
): string {
  const times = [rec.expiresAt];
  const reminder = rec.remindAts[rec.remindersSent ?? 0];
  if (reminder) times.push(reminder);
  if (rec.escalation && !rec.escalatedAt) times.push(rec.escalation.at);
  return times.sort()[0] as string;
}
