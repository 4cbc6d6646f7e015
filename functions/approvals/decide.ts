/**
 * Deciding: one vote by a person, for themself or as a delegate ("B for A"), from an email link,
 * the dashboard or the CLI. Exactly one concurrent caller wins each step: every write is
 * conditional on the state it read, and a loser re-reads and reports who decided. The requester
 * never approves their own request, and a delegate who is the requester decides nothing. When
 * the vote settles the request, Step Functions is told `{decision, by, at, comment, form, votes}`.
 */
import { SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { SYSTEM_ACTOR, TASK_GONE } from "./constants.ts";
import type { Channel, DecisionOutput, FormField, Vote } from "./contract.ts";
import {
  ApprovalExpiredError,
  SelfApprovalError,
  ValidationError,
  WrongApproverError,
} from "./errors.ts";
import { shownHash } from "./request.ts";
import type { ApprovalService } from "./service.ts";
import { type ApprovalRecord, principalOf } from "./types.ts";

const MAX_COMMENT = 1000;

export interface DecideInput {
  approvalId: string;
  by: string;
  decision: "approve" | "reject";
  comment?: string;
  /** The decision form's values by field name (strings from an HTML form, or JSON values). */
  form?: Record<string, unknown>;
  channel?: Channel;
}

export interface DecideResult {
  record: ApprovalRecord;
  /** `recorded`: an approval counted, more are needed. */
  outcome: "approved" | "rejected" | "recorded";
}

/** Checks submitted values against the request's decision form; issues name `form.<field>`. */
export function readForm(
  fields: FormField[] | undefined,
  values: Record<string, unknown> = {},
  approving = true,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const issues: { field: string; message: string }[] = [];
  const known = new Map((fields ?? []).map((f) => [f.name, f]));
  for (const name of Object.keys(values))
    if (!known.has(name))
      issues.push({ field: `form.${name}`, message: "is not a field of this request's form" });
  for (const f of fields ?? []) {
    const raw = values[f.name];
    const text = raw === undefined || raw === null ? "" : String(raw).trim();
    const field = `form.${f.name}`;
    if (text === "") {
      if (f.required && approving) issues.push({ field, message: `${f.label} is required` });
      continue;
    }
    if (f.type === "number") {
      const n = Number(text);
      if (!Number.isFinite(n)) issues.push({ field, message: `${f.label} must be a number` });
      else if (f.min !== undefined && n < f.min)
        issues.push({ field, message: `${f.label} must be at least ${f.min}` });
      else if (f.max !== undefined && n > f.max)
        issues.push({ field, message: `${f.label} must be at most ${f.max}` });
      else out[f.name] = n;
    } else if (f.type === "choice") {
      if (!f.options.includes(text))
        issues.push({ field, message: `${f.label} must be one of ${f.options.join(", ")}` });
      else out[f.name] = text;
    } else if (text.length > f.maxLength) {
      issues.push({ field, message: `${f.label} must be at most ${f.maxLength} characters` });
    } else out[f.name] = text;
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return out;
}

/** Who may not decide: self-approval on every path, delegates included. */
function assertMayDecide(rec: ApprovalRecord, by: string, decision: "approve" | "reject"): void {
  if (!rec.approvers.includes(by))
    throw new WrongApproverError(
      `${by} is not (or no longer) one of the approvers of this request.`,
    );
  const principal = principalOf(rec, by);
  if (principal !== by && by === rec.requester)
    throw new SelfApprovalError(
      `You made this request, so you cannot decide it for ${principal} as their delegate.`,
    );
  if (decision === "approve" && (by === rec.requester || principal === rec.requester))
    throw new SelfApprovalError("The requester cannot approve their own request.");
}

export async function decide(service: ApprovalService, input: DecideInput): Promise<DecideResult> {
  if (input.comment !== undefined && input.comment.length > MAX_COMMENT) {
    throw new ValidationError([
      { field: "comment", message: `must be at most ${MAX_COMMENT} characters` },
    ]);
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const rec = await service.get(input.approvalId);
    assertMayDecide(rec, input.by, input.decision);
    service.assertOpen(rec, input.by);
    const form = readForm(rec.decisionForm, input.form, input.decision === "approve");
    const now = service.now.toISOString();
    const principal = principalOf(rec, input.by);
    const vote: Vote = {
      by: input.by,
      at: now,
      decision: input.decision,
      channel: input.channel ?? "dashboard",
      ...(principal !== input.by ? { onBehalfOf: principal } : {}),
      ...(input.comment ? { comment: input.comment } : {}),
      ...(Object.keys(form).length > 0 ? { form } : {}),
    };
    const voted = async () =>
      service.record(rec.approvalId, "voted", input.by, vote.channel ?? "dashboard", {
        decision: vote.decision,
        onBehalfOf: vote.onBehalfOf ?? null,
        comment: vote.comment ?? null,
        form: vote.form ?? {},
        shown: shownHash(rec),
      });
    if (input.decision === "reject") {
      if (!(await service.store.reject(rec.approvalId, vote, now))) continue;
      const decided: ApprovalRecord = {
        ...rec,
        status: "REJECTED",
        rejection: vote,
        decidedAt: now,
        decidedBy: input.by,
      };
      await voted();
      service.log.info("approval rejected", { approvalId: rec.approvalId, by: input.by });
      return { record: await settle(service, decided), outcome: "rejected" };
    }
    const final = rec.approvals.length + 1 >= rec.required;
    if (!(await service.store.addApproval(rec.approvalId, vote, rec.approvals.length, final, now)))
      continue; // Lost a race: the next read shows who won, or lets us retry.
    await voted();
    const approvals = [...rec.approvals, vote];
    const counted = { ...rec, approvals, approvedBy: [...rec.approvedBy, principal] };
    if (!final) {
      service.log.info("approval recorded", {
        approvalId: rec.approvalId,
        by: input.by,
        count: approvals.length,
        required: rec.required,
      });
      return { record: counted, outcome: "recorded" };
    }
    const decided: ApprovalRecord = {
      ...counted,
      status: "APPROVED",
      decidedAt: now,
      decidedBy: input.by,
    };
    service.log.info("approval approved", { approvalId: rec.approvalId, by: input.by });
    return { record: await settle(service, decided), outcome: "approved" };
  }
  throw new Error(`approval ${input.approvalId}: too much contention, try again`);
}

/** What the workflow receives for a decided record. */
export function decisionOutput(rec: ApprovalRecord): DecisionOutput {
  const rejected = rec.status === "REJECTED";
  const vote = rejected ? rec.rejection : rec.approvals.at(-1);
  return {
    decision: rejected ? "reject" : "approve",
    by: vote?.by ?? rec.decidedBy ?? "",
    onBehalfOf: vote?.onBehalfOf ?? null,
    at: vote?.at ?? rec.decidedAt ?? "",
    comment: vote?.comment ?? null,
    form: vote?.form ?? {},
    votes: [...rec.approvals, ...(rec.rejection ? [rec.rejection] : [])],
    context: rec.context ?? null,
  };
}

/** Records the decision and tells Step Functions. A task that is gone: the request expired meanwhile. */
async function settle(service: ApprovalService, rec: ApprovalRecord): Promise<ApprovalRecord> {
  const output = decisionOutput(rec);
  await service.record(rec.approvalId, "decided", output.by, "system", {
    decision: output.decision,
    by: output.by,
    onBehalfOf: output.onBehalfOf,
  });
  try {
    await service.deps.sfn.send(
      new SendTaskSuccessCommand({ taskToken: rec.taskToken, output: JSON.stringify(output) }),
    );
  } catch (err) {
    const name = (err as { name?: string }).name ?? "Error";
    if (TASK_GONE.has(name)) {
      await service.store.decisionTooLate(rec.approvalId, service.now.toISOString());
      service.log.warn("decision arrived after the task ended", {
        approvalId: rec.approvalId,
        error: name,
      });
      throw new ApprovalExpiredError(rec.expiresAt, { cause: err });
    }
    // Recorded but not delivered: the sweep retries (the record stays in the open index).
    service.log.error("could not deliver decision to Step Functions; will retry", {
      approvalId: rec.approvalId,
      error: name,
    });
    return rec;
  }
  const at = service.now.toISOString();
  await service.store.notified(rec.approvalId, at);
  await service.record(rec.approvalId, "delivered", SYSTEM_ACTOR, "system", {
    outcome: output.decision,
  });
  return { ...rec, notifiedAt: at };
}
