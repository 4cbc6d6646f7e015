/**
 * Shapes of the approvals domain: the stored record and the public view the API returns. The task
 * token lives only on the stored record; `toView` is the one way a record leaves the server, and
 * it drops the token. What a request shows is the contract's (contract.ts): title, summary,
 * details, decision form.
 */
import type { FormField, SummaryField, Vote } from "./contract.ts";

export type ApprovalStatus = "PENDING" | "APPROVED" | "REJECTED" | "EXPIRED";

/** The approval item as stored (`pk = APPROVAL#<id>`, `sk = APPROVAL`). Server-side only. */
export interface ApprovalRecord {
  approvalId: string;
  taskToken: string;
  executionArn?: string;
  requester: string;
  title: string;
  summary: SummaryField[];
  details?: string;
  decisionForm?: FormField[];
  context?: unknown;
  /** Everyone who may decide now: the approvers asked, escalation approvers, delegates. */
  approvers: string[];
  /** A delegate → the approver they act for ("B for A"). */
  onBehalfOf?: Record<string, string>;
  required: number;
  approvals: Vote[];
  /** The principals (never their delegates) whose approval is counted, for the conditional write. */
  approvedBy: string[];
  rejection?: Vote;
  status: ApprovalStatus;
  createdAt: string;
  expiresAt: string;
  /** Reminder times (ISO, ascending); `remindersSent` of them went out. */
  remindAts: string[];
  remindersSent?: number;
  /** When the escalation approvers are asked, and whom (resolved addresses). */
  escalation?: { at: string; to: string[] };
  escalatedAt?: string;
  decidedAt?: string;
  decidedBy?: string;
  /** When Step Functions was told the outcome (SendTaskSuccess accepted, or it said the task is gone). */
  notifiedAt?: string;
  /** When the approvers' request emails went out (so a retried invocation sends them once). */
  emailedAt?: string;
  /** When the request was announced to the webhook (at most once). */
  announcedAt?: string;
  expiryNotifiedAt?: string;
}

/** What the API returns for an approval (`GET /api/approvals`, functions/api/README.md). No task token. */
export interface ApprovalView {
  approvalId: string;
  executionArn?: string;
  requester: string;
  title: string;
  summary: SummaryField[];
  details?: string;
  decisionForm?: FormField[];
  approvers: string[];
  onBehalfOf?: Record<string, string>;
  required: number;
  approvals: Vote[];
  rejection?: Vote;
  status: ApprovalStatus;
  createdAt: string;
  expiresAt: string;
  escalation?: { at: string; to: string[] };
  escalatedAt?: string;
  decidedAt?: string;
  decidedBy?: string;
}

/**
 * The status a person should see at `now`: a PENDING record past its expiry is EXPIRED from that
 * instant, whether or not the sweep has written it yet — so the dashboard, `approvals list` and
 * the link's page agree with the expiry email to the second.
 */
export function statusAt(
  rec: Pick<ApprovalRecord, "status" | "expiresAt">,
  now: Date | number,
): ApprovalStatus {
  const t = typeof now === "number" ? now : now.getTime();
  return rec.status === "PENDING" && t >= Date.parse(rec.expiresAt) ? "EXPIRED" : rec.status;
}

/** The one way a record leaves the server: an explicit allow-list of fields. */
export function toView(r: ApprovalRecord): ApprovalView {
  const view: ApprovalView = {
    approvalId: r.approvalId,
    requester: r.requester,
    title: r.title,
    summary: r.summary,
    approvers: r.approvers,
    required: r.required,
    approvals: r.approvals,
    status: r.status,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
  };
  const optional = [
    "executionArn",
    "details",
    "decisionForm",
    "onBehalfOf",
    "rejection",
    "escalation",
    "escalatedAt",
    "decidedAt",
    "decidedBy",
  ] as const;
  for (const k of optional) if (r[k] !== undefined) Object.assign(view, { [k]: r[k] });
  return view;
}

/** The principal a person acts for on a request: their delegator, else themselves. */
export function principalOf(rec: Pick<ApprovalRecord, "onBehalfOf">, person: string): string {
  return rec.onBehalfOf?.[person] ?? person;
}
