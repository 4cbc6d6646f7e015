/**
 * Who must approve an order. Thresholds come from Settings; the defaults are documented here:
 *
 * - total above `approvalThreshold` (default 1,000): one approval needed;
 * - total above `dualApprovalThreshold` (default 10,000): two approvals needed;
 * - every configured approver is asked (N), the first M to approve decide; one rejection rejects;
 * - the requester is never one of the approvers of their own request.
 *
 * There are no default approvers: a deployment names them (COUNTERSIGN_APPROVERS, which the
 * deploy requires), the local platform its demo ones (local/platform/demo.ts).
 */
import { NoApproversError } from "./errors.ts";

export const DEFAULT_APPROVAL_THRESHOLD = 1_000;
export const DEFAULT_DUAL_APPROVAL_THRESHOLD = 10_000;
export const DEFAULT_TIMEOUT_SECONDS = 24 * 60 * 60;

/** The policy's inputs (a subset of the linked Settings resource, with defaults). */
export interface ApprovalSettings {
  approvalThreshold?: number;
  dualApprovalThreshold?: number;
  approvalTimeoutSeconds?: number;
  /** The longest an approval may wait (default 30 days, functions/shared/approval-timeout.ts). */
  maxApprovalTimeoutSeconds?: number;
  approvers?: string[];
  /** Who may see orders and executions in the dashboard (sign-in is for approvers and them). */
  operators?: string[];
  /** In whose name workflows without an authenticated caller ask (default: the sender). */
  requester?: string;
}

export interface ApproverChoice {
  approvers: string[];
  required: number;
}

/** Chooses approvers and quorum for an order; explicit overrides from the payload win. */
export function chooseApprovers(
  settings: ApprovalSettings,
  order: { total: number; requester: string; approvers?: string[]; required?: number },
): ApproverChoice {
  const pool = (order.approvers ?? settings.approvers ?? []).map((a) => a.toLowerCase());
  const approvers = [...new Set(pool)].filter((a) => a !== order.requester.toLowerCase());
  const dual = settings.dualApprovalThreshold ?? DEFAULT_DUAL_APPROVAL_THRESHOLD;
  const wanted = order.required ?? (order.total > dual ? 2 : 1);
  if (approvers.length === 0) {
    throw new NoApproversError(
      "No approver other than the requester is configured: set Settings.approvers (SST_RESOURCE_Settings locally)",
    );
  }
  if (wanted > approvers.length) {
    throw new NoApproversError(
      `This order needs ${wanted} approvals but only ${approvers.length} approver(s) other than the requester are configured: add approvers to Settings.approvers`,
    );
  }
  return { approvers, required: wanted };
}

/** When to send the reminder: an hour before expiry, or at three quarters of a short timeout. */
export function reminderTime(createdAt: Date, expiresAt: Date): Date {
  const span = expiresAt.getTime() - createdAt.getTime();
  const lead = Math.min(60 * 60 * 1000, span / 4);
  return new Date(expiresAt.getTime() - lead);
}
