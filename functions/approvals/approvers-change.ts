/**
 * Changing who decides a pending request, after it was made:
 * - escalation (the sweep, when `escalation.after` passed with no decision): the escalation
 *   approvers are asked too; the first approvers keep their links and are told who else was asked;
 * - reassignment (an operator, from the dashboard): one approver's place goes to another person,
 *   who decides for the approver they replace; the one replaced is told and their link stops.
 * Both route through delegations and never hand the request to its requester.
 */

import { SYSTEM_ACTOR } from "./constants.ts";
import type { Channel } from "./contract.ts";
import { ValidationError } from "./errors.ts";
import { emailRequest, notice } from "./notify.ts";
import { delegate } from "./request.ts";
import type { ApprovalService } from "./service.ts";
import { type ApprovalRecord, principalOf } from "./types.ts";

/** Asks the escalation approvers; `false` when it was already done or the request moved on. */
export async function escalate(service: ApprovalService, rec: ApprovalRecord): Promise<boolean> {
  if (!rec.escalation || rec.escalatedAt || rec.status !== "PENDING") return false;
  const now = service.now;
  const fresh = rec.escalation.to.filter(
    (a) => !rec.approvers.includes(a) && !Object.values(rec.onBehalfOf ?? {}).includes(a),
  );
  const routed = await delegate(service, fresh, rec.requester, now, rec.onBehalfOf ?? {});
  const added = routed.approvers.filter((a) => !rec.approvers.includes(a));
  const changed = await service.store.changeApprovers(rec, {
    approvers: [...rec.approvers, ...added],
    onBehalfOf: routed.onBehalfOf,
    added,
    set: { escalatedAt: now.toISOString() },
  });
  if (!changed) return false;
  const next: ApprovalRecord = {
    ...rec,
    approvers: [...rec.approvers, ...added],
    onBehalfOf: routed.onBehalfOf,
    escalatedAt: now.toISOString(),
  };
  await service.record(rec.approvalId, "escalated", SYSTEM_ACTOR, "system", {
    to: added,
    first: rec.approvers,
  });
  for (const to of added) {
    const principal = routed.onBehalfOf[to];
    if (principal)
      await service.record(rec.approvalId, "delegated", principal, "dashboard", {
        from: principal,
        to,
        reason: "delegation",
      });
  }
  for (const a of added) await emailRequest(service, next, a, { escalatedFrom: rec.approvers });
  const voted = new Set(rec.approvedBy);
  for (const a of rec.approvers.filter((x) => !voted.has(principalOf(rec, x)))) {
    await notice(
      service,
      next,
      a,
      "Escalated",
      `Nobody decided in time, so ${added.join(", ")} ${added.length === 1 ? "was" : "were"} asked too. Your link still works: the first decision to settle it counts.`,
    );
  }
  return true;
}

/**
 * An operator gives `from`'s place on a pending request to `to`, who then decides for the
 * approver `from` stood for. Refused (naming the field) when `from` is not an approver or already
 * voted, or `to` is the requester or already an approver.
 */
export async function reassign(
  service: ApprovalService,
  input: { approvalId: string; from: string; to: string; by: string; channel?: Channel },
): Promise<ApprovalRecord> {
  const from = input.from.trim().toLowerCase();
  const to = input.to.trim().toLowerCase();
  for (let attempt = 0; attempt < 10; attempt++) {
    const rec = await service.get(input.approvalId);
    service.assertOpen(rec);
    const principal = principalOf(rec, from);
    if (!rec.approvers.includes(from))
      throw new ValidationError([
        { field: "from", message: `${from} is not an approver of this request` },
      ]);
    if (rec.approvedBy.includes(principal))
      throw new ValidationError([
        { field: "from", message: `${from} already approved; nothing to reassign` },
      ]);
    if (to === rec.requester)
      throw new ValidationError([
        { field: "to", message: "is the requester, who cannot decide their own request" },
      ]);
    if (rec.approvers.includes(to) || rec.onBehalfOf?.[to] || !to.includes("@"))
      throw new ValidationError([
        { field: "to", message: `${to} is already asked, or not an address` },
      ]);
    const onBehalfOf = { ...(rec.onBehalfOf ?? {}) };
    delete onBehalfOf[from];
    onBehalfOf[to] = principal;
    const approvers = rec.approvers.map((a) => (a === from ? to : a));
    if (!(await service.store.changeApprovers(rec, { approvers, onBehalfOf, added: [to] })))
      continue;
    const next: ApprovalRecord = { ...rec, approvers, onBehalfOf };
    await service.record(rec.approvalId, "delegated", input.by, input.channel ?? "dashboard", {
      from,
      to,
      onBehalfOf: principal,
      reason: "reassigned",
    });
    await emailRequest(service, next, to);
    await notice(
      service,
      next,
      from,
      "Reassigned",
      `${input.by} reassigned this request from you to ${to}, who now decides it${principal === from ? " for you" : ` for ${principal}`}. Your link no longer works.`,
    );
    return next;
  }
  throw new Error(`approval ${input.approvalId}: too much contention, try again`);
}
