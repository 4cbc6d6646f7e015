/**
 * The dashboard's approvals: the signed-in approver's inbox and deciding from it. Same domain
 * calls and the same outcomes as the email links (409 says who decided, 410 when expired).
 */
import { Hono } from "hono";
import * as z from "zod";
import {
  type ApprovalRecord,
  type ApprovalService,
  type ApprovalView,
  type SessionService,
  toView,
} from "../../approvals/index.ts";
import { requireCsrf, requireSession, type SessionEnv } from "../middleware/session.ts";
import { valid } from "../validation.ts";

const listQuery = z.object({ status: z.enum(["PENDING", "DECIDED", "ALL"]).default("PENDING") });
const idParam = z.object({ id: z.string().min(1).max(64) });
const decisionBody = z.object({
  decision: z.enum(["approve", "reject"], { error: 'must be "approve" or "reject"' }),
  comment: z.string().max(1000, { error: "must be at most 1000 characters" }).optional(),
});

/** The view with the status a person would expect now (an overdue PENDING shows as EXPIRED). */
export function viewAt(rec: ApprovalRecord, now: Date): ApprovalView {
  const view = toView(rec);
  if (view.status === "PENDING" && now.getTime() >= Date.parse(view.expiresAt))
    view.status = "EXPIRED";
  return view;
}

export function approvalsApiRoutes(approvals: ApprovalService, sessions: SessionService) {
  return new Hono<SessionEnv>()
    .use("/api/approvals", requireSession(sessions))
    .use("/api/approvals/*", requireSession(sessions))
    .get("/api/approvals", valid("query", listQuery), async (c) => {
      const { status } = c.req.valid("query");
      const me = c.get("session").email;
      const now = approvals.now;
      const views = (await approvals.store.forApprover(me)).map((r) => ({
        view: viewAt(r, now),
        mine: r.approvedBy.includes(me),
      }));
      const actionable = (v: { view: ApprovalView; mine: boolean }) =>
        v.view.status === "PENDING" && !v.mine;
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
        const { decision, comment } = c.req.valid("json");
        const trimmed = comment?.trim();
        const { record } = await approvals.decide({
          approvalId: c.req.valid("param").id,
          by: c.get("session").email,
          decision,
          ...(trimmed ? { comment: trimmed } : {}),
        });
        return c.json({ approval: viewAt(record, approvals.now) });
      },
    );
}
