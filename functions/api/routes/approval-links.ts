/**
 * The links in approval emails. `GET`/`HEAD /approvals/:id?sig=…` only render the confirm page
 * (mail scanners prefetch links; they must change nothing). `POST /approvals/:id` with the link's
 * signature, the form's CSRF token, the decision and an optional comment decides, when it comes
 * from our own page (Origin or Sec-Fetch-Site, as the sign-in form).
 */
import { Hono } from "hono";
import * as z from "zod";
import { type ApprovalService, CsrfError, esc, recordedText } from "../../approvals/index.ts";
import { shownHash } from "../../approvals/request.ts";
import { sameOriginForms } from "../middleware/same-origin.ts";
import { confirmPage, viewPage } from "../pages/confirm.ts";
import { messagePage, messagePageHtml } from "../pages/layout.ts";
import { timeHtml } from "../pages/times.ts";
import { valid } from "../validation.ts";
import { viewAt } from "./approvals-api.ts";

const MAX_COMMENT = 1000;

const linkQuery = z.object({
  sig: z.string().max(2048).optional(),
  intent: z.enum(["approve", "reject"]).optional(),
});

const decisionForm = z.looseObject({
  sig: z.string().max(2048).optional(),
  csrf: z.string().max(256).optional(),
  decision: z.enum(["approve", "reject"], { error: 'must be "approve" or "reject"' }),
  comment: z
    .string()
    .max(MAX_COMMENT, { error: `must be at most ${MAX_COMMENT} characters` })
    .optional()
    .transform((v) => v?.trim() || undefined),
});

export function approvalLinkRoutes(
  approvals: ApprovalService,
  baseFromRequest: (url: string) => string,
): Hono {
  const app = new Hono();

  app.get("/approvals/:id", valid("query", linkQuery), async (c) => {
    const { sig, intent } = c.req.valid("query");
    const { rec, claims, csrf, viewer } = await approvals.inspectLink(c.req.param("id"), sig);
    if (viewer) return c.html(viewPage(rec, viewAt(rec, approvals.now).status));
    approvals.assertOpen(rec, claims.approver);
    // A HEAD (a mail scanner's prefetch) shows nobody anything: only a GET is a view.
    if (c.req.method === "GET")
      await approvals.record(rec.approvalId, "viewed", claims.approver, "email link", {
        shown: shownHash(rec),
      });
    return c.html(
      confirmPage({
        rec,
        approver: claims.approver,
        sig: sig ?? "",
        csrf,
        ...(intent ? { intent } : {}),
      }),
    );
  });

  // A decision posted from another site (a page that copied the form) is refused like a forged
  // sign-in: the link's signature proves who may decide, the origin that a person on our page did.
  app.post(
    "/approvals/:id",
    sameOriginForms(baseFromRequest),
    valid("form", decisionForm),
    async (c) => {
      const form = c.req.valid("form");
      const { rec, claims } = await approvals.inspectLink(c.req.param("id"), form.sig);
      if (
        !approvals.signer.verify(
          "form",
          form.csrf,
          claims.approvalId,
          claims.approver,
          String(claims.exp),
        )
      ) {
        throw new CsrfError(
          "The form token is missing or wrong. Open the link from your email again and use its buttons.",
        );
      }
      // The decision form's inputs are named `form.<field>` (render.ts).
      const values = Object.fromEntries(
        Object.entries(form)
          .filter(([k]) => k.startsWith("form."))
          .map(([k, v]) => [k.slice(5), v]),
      );
      const { record, outcome } = await approvals.decide({
        approvalId: rec.approvalId,
        by: claims.approver,
        decision: form.decision,
        channel: "email link",
        form: values,
        ...(form.comment ? { comment: form.comment } : {}),
      });
      const forWhom = record.onBehalfOf?.[claims.approver];
      const you = forWhom ? `You (for ${forWhom})` : "You";
      if (outcome === "recorded") {
        return c.html(
          messagePage(
            "Approval recorded",
            `Thank you. ${you} approved "${record.title}". ${recordedText(record)}`,
          ),
        );
      }
      return c.html(
        messagePageHtml(
          outcome === "approved" ? "Approved" : "Rejected",
          `${esc(you)} ${outcome} &quot;${esc(record.title)}&quot; at ${timeHtml(record.decidedAt ?? approvals.now.toISOString())}. The workflow continues.`,
        ),
      );
    },
  );

  return app;
}
