/**
 * A workflow's approval task: validate the request contract, resolve who is asked (groups,
 * delegations, never the requester), store the record (idempotently: a retried invocation with
 * the same task token finds it), record it in the ledger, email every approver once and announce
 * it to the webhook. A request that cannot be honoured — a missing title, an unknown group, more
 * approvals required than approvers, a form field of an unknown type — fails the task at once
 * with `SendTaskFailure` (`Approval.InvalidRequest`, the cause naming each field) and changes
 * nothing: no record, no mail.
 */
import { SendTaskFailureCommand } from "@aws-sdk/client-sfn";
import { approvalTimeoutProblem } from "../shared/approval-timeout.ts";
import { hashOf } from "./canonical.ts";
import { type ApprovalRequest, approvalRequestSchema } from "./contract.ts";
import {
  ApprovalNotFoundError,
  type FieldIssue,
  RequestRefusedError,
  ValidationError,
} from "./errors.ts";
import { emailApprovers } from "./notify.ts";
import {
  chooseApprovers,
  DEFAULT_TIMEOUT_SECONDS,
  reminderTimes,
  resolveApprovers,
} from "./policy.ts";
import type { ApprovalService } from "./service.ts";
import type { ApprovalRecord } from "./types.ts";
import { announce } from "./webhook.ts";

/** The error name a refused request fails its task with. */
export const INVALID_REQUEST = "Approval.InvalidRequest";

export interface RequestResult {
  approvalId: string;
  approvers: string[];
  required: number;
  expiresAt: string;
}

/** What a person is shown of a request, hashed for the ledger. */
export function shownHash(
  rec: Pick<ApprovalRecord, "title" | "summary" | "details" | "decisionForm">,
) {
  return hashOf({
    title: rec.title,
    summary: rec.summary,
    details: rec.details,
    form: rec.decisionForm,
  });
}

export async function requestApproval(
  service: ApprovalService,
  event: unknown,
): Promise<RequestResult> {
  const parsed = approvalRequestSchema.safeParse(event);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      field: i.path.join(".") || "(payload)",
      message: i.message,
    }));
    return refuse(service, event, issues);
  }
  const p = parsed.data;
  const { settings } = service.deps;
  const requester = (p.requester ?? settings.requester ?? service.deps.sender).toLowerCase();
  const chosen = chooseApprovers(settings, { ...p, requester });
  const issues = [...chosen.issues];
  const timeout = p.timeoutSeconds ?? settings.approvalTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const tooLong = approvalTimeoutProblem(timeout, settings);
  if (tooLong) issues.push({ field: "timeoutSeconds", message: tooLong });
  const escalation = p.escalation
    ? resolveApprovers(p.escalation.to, settings, "escalation.to")
    : undefined;
  if (escalation) issues.push(...escalation.issues);
  if (p.escalation && p.escalation.after >= timeout)
    issues.push({
      field: "escalation.after",
      message: `is ${p.escalation.after} s but the request expires after ${timeout} s; escalate earlier`,
    });
  if (issues.length > 0) return refuse(service, event, issues);

  const now = service.now;
  const expiresAt = new Date(now.getTime() + timeout * 1000);
  // Derived from the token so a retried invocation finds its record; the "a" keeps ids from
  // starting with "-" (base64url), which command lines would read as an option.
  const approvalId = `a${service.signer.mac("link", "approval-id", p.taskToken).slice(0, 21)}`;
  const routed = await delegate(service, chosen.approvers, requester, now);
  const fresh = buildRecord(p, {
    approvalId,
    requester,
    approvers: routed.approvers,
    onBehalfOf: routed.onBehalfOf,
    now,
    expiresAt,
    escalateTo: (escalation?.addresses ?? []).filter(
      (a) => a !== requester && !chosen.approvers.includes(a),
    ),
  });
  const created = await service.store.create(fresh);
  const rec = created ? fresh : await service.store.get(approvalId);
  if (!rec) throw new ApprovalNotFoundError(`approval ${approvalId} vanished while being created`);
  if (!(await service.ledger.head(approvalId))) {
    await service.record(approvalId, "requested", requester, "system", {
      title: rec.title,
      approvers: rec.approvers,
      required: rec.required,
      expiresAt: rec.expiresAt,
      ...(rec.escalation ? { escalation: rec.escalation } : {}),
      shown: shownHash(rec),
    });
    for (const [to, from] of Object.entries(rec.onBehalfOf ?? {}))
      await service.record(approvalId, "delegated", from, "dashboard", {
        from,
        to,
        reason: "delegation",
      });
  }
  if (!rec.emailedAt) await emailApprovers(service, rec);
  if (!rec.announcedAt) await announce(service, rec);
  service.log.info("approval requested", {
    approvalId,
    executionArn: rec.executionArn,
    approvers: rec.approvers,
    required: rec.required,
    expiresAt: rec.expiresAt,
    retried: !created,
  });
  return { approvalId, approvers: rec.approvers, required: rec.required, expiresAt: rec.expiresAt };
}

/**
 * Routes each approver with an active delegation to their delegate ("B for A"). A delegate who is
 * the requester, or who is already asked in their own name, is passed over: the approver keeps
 * the request, so nobody decides their own request or holds two votes.
 */
export async function delegate(
  service: ApprovalService,
  approvers: string[],
  requester: string,
  at: Date,
  onBehalfOf: Record<string, string> = {},
): Promise<{ approvers: string[]; onBehalfOf: Record<string, string> }> {
  const out: string[] = [];
  const map = { ...onBehalfOf };
  for (const a of approvers) {
    const d = await service.delegations.activeAt(a, at);
    const to = d?.to.toLowerCase();
    if (!to || to === requester || approvers.includes(to) || out.includes(to) || map[to]) {
      out.push(a);
    } else {
      out.push(to);
      map[to] = a;
    }
  }
  return { approvers: out, onBehalfOf: map };
}

function buildRecord(
  p: ApprovalRequest,
  r: {
    approvalId: string;
    requester: string;
    approvers: string[];
    onBehalfOf: Record<string, string>;
    now: Date;
    expiresAt: Date;
    escalateTo: string[];
  },
): ApprovalRecord {
  const rec: ApprovalRecord = {
    approvalId: r.approvalId,
    taskToken: p.taskToken,
    requester: r.requester,
    title: p.title,
    summary: p.summary,
    approvers: r.approvers,
    onBehalfOf: r.onBehalfOf,
    required: p.required,
    approvals: [],
    approvedBy: [],
    status: "PENDING",
    createdAt: r.now.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    remindAts: reminderTimes(r.now, r.expiresAt, p.reminders),
    remindersSent: 0,
  };
  if (p.executionArn) rec.executionArn = p.executionArn;
  if (p.details) rec.details = p.details;
  if (p.decisionForm) rec.decisionForm = p.decisionForm;
  if (p.context !== undefined) rec.context = p.context;
  if (p.escalation && r.escalateTo.length > 0)
    rec.escalation = {
      at: new Date(r.now.getTime() + p.escalation.after * 1000).toISOString(),
      to: r.escalateTo,
    };
  return rec;
}

/**
 * Fails the task at once, naming each field, then throws {@link RequestRefusedError} (the handler
 * returns normally on it: the task has its failure). Without a task token to fail, throws a plain
 * ValidationError — a Lambda error fails a `.waitForTaskToken` task too.
 */
async function refuse(
  service: ApprovalService,
  event: unknown,
  issues: FieldIssue[],
): Promise<never> {
  const token = (event as { taskToken?: unknown } | null)?.taskToken;
  service.log.warn("approval request refused", { issues });
  if (typeof token !== "string" || token === "") throw new ValidationError(issues);
  const error = new RequestRefusedError(issues);
  await service.deps.sfn.send(
    new SendTaskFailureCommand({
      taskToken: token,
      error: INVALID_REQUEST,
      cause: `The approval request is invalid: ${error.message}`.slice(0, 32_768),
    }),
  );
  throw error;
}
