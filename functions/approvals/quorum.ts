/**
 * How far a request needing M of N approvals has come, in the same words everywhere — the page
 * after a vote, the answer to a second vote, `approvals list`, the dashboard: "1 of 2 approvals",
 * "your approval is recorded; 1 more needed".
 */
import type { ApprovalRecord } from "./types.ts";

type Counted = Pick<ApprovalRecord, "approvals" | "required">;

/** "1 of 2 approvals" (also for one: "0 of 1 approvals" reads oddly, so "0 of 1 approval"). */
export function quorumText(rec: Counted): string {
  return `${rec.approvals.length} of ${rec.required} approval${rec.required === 1 ? "" : "s"}`;
}

/** How many approvals are still missing (0 once the request has enough). */
export function approvalsLeft(rec: Counted): number {
  return Math.max(0, rec.required - rec.approvals.length);
}

/** "Your approval is recorded; 1 more needed (1 of 2 approvals)." */
export function recordedText(rec: Counted): string {
  return `Your approval is recorded; ${approvalsLeft(rec)} more needed (${quorumText(rec)}).`;
}
