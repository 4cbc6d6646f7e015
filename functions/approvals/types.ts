/**
 * Shapes of the approvals domain: the saga's request payload (validated), the stored record and
 * the public view the API returns. The task token lives only on the stored record; `toView` is the
 * one way a record leaves the server, and it drops the token.
 */
import * as z from "zod";

const email = z.string().trim().toLowerCase().pipe(z.email());

/** One order line as the saga passes it. */
export const lineSchema = z.object({
  sku: z.string().min(1),
  name: z.string().optional(),
  quantity: z.number().int().positive(),
  unitPrice: z.number().nonnegative(),
});

/** The payload of the saga's `.waitForTaskToken` task (the RequestApproval state's Arguments). */
export const requestApprovalSchema = z.object({
  taskToken: z.string().min(1),
  executionArn: z.string().min(1),
  orderId: z.string().min(1),
  /**
   * Who asks: the workflow's authenticated caller when it has one. Absent, the approvals use
   * `Settings.requester`, else the sender address (the order saga never passes one: its input is
   * free text from outside).
   */
  requester: email.optional(),
  /** Who the order is for; the order saga sends the name only (its approvers need no more). */
  customer: z.object({ name: z.string(), email: z.string().optional() }),
  total: z.number().nonnegative(),
  currency: z.string().min(3).max(3),
  lines: z.array(lineSchema),
  timeoutSeconds: z.number().int().positive().optional(),
  /** Optional override of the policy's approvers (e.g. a saga that names them itself). */
  approvers: z.array(email).min(1).optional(),
  /** Optional override of how many approvals are needed. */
  required: z.number().int().positive().optional(),
});
export type RequestApprovalInput = z.input<typeof requestApprovalSchema>;
export type RequestApprovalPayload = z.output<typeof requestApprovalSchema>;

export type ApprovalStatus = "PENDING" | "APPROVED" | "REJECTED" | "EXPIRED";

/** One recorded approval or the rejection. */
export interface Vote {
  by: string;
  at: string;
  comment?: string;
}

export interface OrderSummary {
  total: number;
  currency: string;
  customer: { name: string; email?: string | undefined };
  lines: z.output<typeof lineSchema>[];
}

/** The approval item as stored (`pk = APPROVAL#<id>`, `sk = APPROVAL`). Server-side only. */
export interface ApprovalRecord {
  approvalId: string;
  taskToken: string;
  executionArn: string;
  orderId: string;
  requester: string;
  approvers: string[];
  required: number;
  approvals: Vote[];
  approvedBy: string[];
  rejection?: Vote;
  status: ApprovalStatus;
  summary: OrderSummary;
  createdAt: string;
  expiresAt: string;
  remindAt: string;
  remindedAt?: string;
  decidedAt?: string;
  decidedBy?: string;
  /** When Step Functions was told the outcome (SendTaskSuccess accepted, or it said the task is gone). */
  notifiedAt?: string;
  /** When the approvers' request emails went out (so a retried invocation sends them once). */
  emailedAt?: string;
  expiryNotifiedAt?: string;
}

/** What the API returns for an approval (`GET /api/approvals`, functions/api/README.md). No task token. */
export interface ApprovalView {
  approvalId: string;
  orderId: string;
  executionArn: string;
  requester: string;
  approvers: string[];
  required: number;
  approvals: Vote[];
  rejection?: Vote;
  status: ApprovalStatus;
  summary: OrderSummary;
  createdAt: string;
  expiresAt: string;
  decidedAt?: string;
  decidedBy?: string;
}

/** The one way a record leaves the server: an explicit allow-list of fields. */
export function toView(r: ApprovalRecord): ApprovalView {
  const view: ApprovalView = {
    approvalId: r.approvalId,
    orderId: r.orderId,
    executionArn: r.executionArn,
    requester: r.requester,
    approvers: r.approvers,
    required: r.required,
    approvals: r.approvals,
    status: r.status,
    summary: r.summary,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
  };
  if (r.rejection) view.rejection = r.rejection;
  if (r.decidedAt) view.decidedAt = r.decidedAt;
  if (r.decidedBy) view.decidedBy = r.decidedBy;
  return view;
}

/** The output given to `SendTaskSuccess`, which the saga branches on. */
export interface DecisionOutput {
  decision: "approve" | "reject";
  by: string;
  comment?: string;
  at: string;
}
