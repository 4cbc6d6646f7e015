/** The approval API's JSON shapes, as agreed in the cross-helper contract. Times are ISO 8601. */

export interface Session {
  email: string;
  csrfToken: string;
}

export interface Config {
  local: boolean;
}

export interface OrderLine {
  sku: string;
  name?: string;
  quantity: number;
  unitPrice: number;
}

export interface Decision {
  by: string;
  at: string;
  comment?: string;
}

export type ApprovalStatus = "PENDING" | "APPROVED" | "REJECTED" | "EXPIRED";

export interface Approval {
  approvalId: string;
  orderId: string;
  executionArn: string;
  requester: string;
  approvers: string[];
  required: number;
  approvals: Decision[];
  rejection?: Decision;
  status: ApprovalStatus;
  summary: {
    total: number;
    currency: string;
    customer: { name: string; email: string };
    lines: OrderLine[];
  };
  createdAt: string;
  expiresAt: string;
  decidedAt?: string;
  decidedBy?: string;
}

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface ExecutionSummary {
  executionArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  stateMachineArn: string;
}

export interface ExecutionDescription extends ExecutionSummary {
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
}

export interface ExecutionDetail {
  execution: ExecutionDescription;
  definition: unknown;
}

export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: string;
  type: string;
  [details: string]: unknown;
}

export interface Order {
  orderId: string;
  status: string;
  total: number;
  currency: string;
  customer: { name: string; email: string } | string;
  createdAt: string;
  updatedAt: string;
  failureReason?: string;
}

export interface Mail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  at: string;
}
