/**
 * The dashboard's approvals: the signed-in approver's inbox and deciding from it (same domain
 * calls and outcomes as the email links: 409 says who decided, 410 when expired), a request's
 * timeline (its ledger; for its approvers, its requester and operators), the approver's own
 * delegation, and for operators every open request and reassigning one.
 */
import { Hono } from "hono";
import * as z from "zod";
import {
  type ApprovalRecord,
  type ApprovalService,
  type ApprovalView,
  NotFoundError,
  OperatorsOnlyError,
  reassign,
  type SessionService,
  statusAt,
  toView,
  ValidationError,
} from "../../approvals/index.ts";
import {
  requireCsrf,
  requireOperator,
  requireSession,
  type SessionEnv,
} from "../middleware/session.ts";
import { valid } from "../validation.ts";

const listQuery = z.object({
  status: z.enum(["PENDING", "DECIDED", "ALL", "OPEN"]).default("PENDING"),
});
const idParam = z.object({ id: z.string().min(1).max(64) });
const decisionBody = z.object({
  decision: z.enum(["approve", "reject"], { error: 'must be "approve" or "reject"' }),
  comment: z.string().max(1000, { error: "must be at most 1000 characters" }).optional(),
  form: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
const email = z.string().trim().toLowerCase().pipe(z.email());
const delegationBody = z.object({
  to: email,
  startsAt: z.iso.datetime({ offset: true }).optional(),
  endsAt: z.iso.datetime({ offset: true }),
});
const reassignBody = z.object({ from: email, to: email });

/** The view with the status a person would expect now (an overdue PENDING shows as EXPIRED). */
export function viewAt(rec: ApprovalRecord, now: Date): ApprovalView {
  return { ...toView(rec), status: statusAt(rec, now) };
}

export function approvalsApiRoutes(approvals: ApprovalService, sessions: SessionService) {
  const isOperator = (email: string) => sessions.roles(email).includes("operator");
  return new Hono<SessionEnv>()
    .use("/api/approvals", requireSession(sessions))
    .use("/api/approvals/*", requireSession(sessions))
    .use("/api/delegation", requireSession(sessions))
    .get("/api/approvals", valid("query", listQuery), async (c) => {
      const { status } = c.req.valid("query");
      const me = c.get("session").email;
      const now = approvals.now;
      if (status === "OPEN") {
        // Every request still waiting, for operators (who may reassign them).
        if (!isOperator(me)) throw new OperatorsOnlyError("Only operators see every open request.");
        const open = await approvals.store.due(new Date(8.64e15));
        const items = open.filter((r) => r.status === "PENDING").map((r) => viewAt(r, now));
        return c.json({ items });
      }
      // A request reassigned away from me keeps its old index item: only where I still decide.
      const mine = (await approvals.store.forApprover(me)).filter((r) => r.approvers.includes(me));
      const views = mine.map((r) => ({
        view: viewAt(r, now),
        voted: r.approvedBy.includes(r.onBehalfOf?.[me] ?? me),
      }));
      const actionable = (v: { view: ApprovalView; voted: boolean }) =>
        v.view.status === "PENDING" && !v.voted;
      const items = views
        .filter((v) =>
          status === "ALL" ? true : status === "PENDING" ? actionable(v) : !actionable(v),
        )
        .map((v) => v.view);
      return c.json({ items });
    })
    .post(
      "/api/approvals/:id/decision",
      requireCsrf(sessions),
      valid("param", idParam),
      valid("json", decisionBody),
      async (c) => {
        const { decision, comment, form } = c.req.valid("json");
        const trimmed = comment?.trim();
        const { record } = await approvals.decide({
          approvalId: c.req.valid("param").id,
          by: c.get("session").email,
          decision,
          channel: "dashboard",
          ...(form ? { form } : {}),
          ...(trimmed ? { comment: trimmed } : {}),
        });
        return c.json({ approval: viewAt(record, approvals.now) });
      },
    )
    .get("/api/approvals/:id/timeline", valid("param", idParam), async (c) => {
      const me = c.get("session").email;
      const rec = await approvals.get(c.req.valid("param").id);
      const involved =
        rec.requester === me ||
        rec.approvers.includes(me) ||
        Object.values(rec.onBehalfOf ?? {}).includes(me) ||
        (rec.escalation?.to ?? []).includes(me);
      if (!involved && !isOperator(me))
        throw new NotFoundError(`There is no approval request ${rec.approvalId} for you.`);
      const { entries, head } = await approvals.ledger.read(rec.approvalId);
      return c.json({
        approval: viewAt(rec, approvals.now),
        entries,
        head: head ? { seq: head.seq, hash: head.hash } : null,
      });
    })
    .post(
      "/api/approvals/:id/reassign",
      requireOperator(sessions),
      requireCsrf(sessions),
      valid("param", idParam),
      valid("json", reassignBody),
      async (c) => {
        const { from, to } = c.req.valid("json");
        const record = await reassign(approvals, {
          approvalId: c.req.valid("param").id,
          from,
          to,
          by: c.get("session").email,
          channel: "dashboard",
        });
        return c.json({ approval: viewAt(record, approvals.now) });
      },
    )
    .get("/api/delegation", async (c) => {
      const delegation = await approvals.delegations.get(c.get("session").email);
      return c.json({ delegation: delegation ?? null });
    })
    .put("/api/delegation", requireCsrf(sessions), valid("json", delegationBody), async (c) => {
      const me = c.get("session").email;
      const body = c.req.valid("json");
      const now = approvals.now;
      const startsAt = body.startsAt ? new Date(body.startsAt) : now;
      const endsAt = new Date(body.endsAt);
      if (body.to === me)
        throw new ValidationError([{ field: "to", message: "is you; name someone else" }]);
      if (endsAt <= startsAt || endsAt <= now)
        throw new ValidationError([
          { field: "endsAt", message: "must be in the future and after startsAt" },
        ]);
      const delegation = {
        from: me,
        to: body.to,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        setAt: now.toISOString(),
      };
      await approvals.delegations.set(delegation);
      approvals.log.info("delegation set", { from: me, to: body.to, endsAt: delegation.endsAt });
      return c.json({ delegation });
    })
    .delete("/api/delegation", requireCsrf(sessions), async (c) => {
      await approvals.delegations.clear(c.get("session").email);
      return c.json({ delegation: null });
    });
}
