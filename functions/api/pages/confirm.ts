/**
 * The confirm page an approval link opens, rendered from the request contract alone: title,
 * summary fields, details and the decision form's inputs, in a plain form (no JavaScript) that
 * POSTs the decision with the link's signature and its CSRF token as hidden fields. A read-only
 * link (the webhook's) shows the same request without the form.
 */
import { type ApprovalRecord, esc, quorumText } from "../../approvals/index.ts";
import { detailsHtml, formInputsHtml, summaryHtml } from "../../approvals/render.ts";
import { page } from "./layout.ts";
import { timeHtml } from "./times.ts";

function requestHtml(rec: ApprovalRecord): string {
  const quorum =
    rec.required > 1
      ? `<p class="muted">Needs ${esc(rec.required)} approvals: ${esc(quorumText(rec))} so far.</p>`
      : "";
  return `<div class="panel">${summaryHtml(rec.summary)}${detailsHtml(rec.details)}</div>${quorum}`;
}

export function confirmPage(p: {
  rec: ApprovalRecord;
  approver: string;
  sig: string;
  csrf: string;
  intent?: "approve" | "reject";
}): string {
  const { rec } = p;
  const principal = rec.onBehalfOf?.[p.approver];
  const forWhom = principal ? ` on behalf of ${esc(principal)}` : "";
  const hint = (d: "approve" | "reject") => (p.intent === d ? " is-suggested" : "");
  return page(
    rec.title,
    `<h1>${esc(rec.title)}</h1>
<p>Requested by <strong class="break">${esc(rec.requester)}</strong> from you (<span class="break">${esc(p.approver)}</span>)${forWhom}. It expires at ${timeHtml(rec.expiresAt)}.</p>
${requestHtml(rec)}
<form method="post" action="/approvals/${esc(encodeURIComponent(rec.approvalId))}">
<input type="hidden" name="sig" value="${esc(p.sig)}">
<input type="hidden" name="csrf" value="${esc(p.csrf)}">
${formInputsHtml(rec.decisionForm)}
<label for="comment">Comment (optional)</label>
<textarea id="comment" name="comment" maxlength="1000"></textarea>
<button class="button button-approve${hint("approve")}" type="submit" name="decision" value="approve">Approve</button>
<button class="button button-reject${hint("reject")}" type="submit" name="decision" value="reject">Reject</button>
</form>
<p class="muted">Nothing is decided until you press a button.</p>`,
  );
}

/** What a read-only link shows: the request and its state, no form. */
export function viewPage(rec: ApprovalRecord, status: string): string {
  return page(
    rec.title,
    `<h1>${esc(rec.title)}</h1>
<p>Requested by <strong class="break">${esc(rec.requester)}</strong> from ${esc(rec.approvers.join(", "))}. Status: <strong>${esc(status)}</strong>; it expires at ${timeHtml(rec.expiresAt)}.</p>
${requestHtml(rec)}
<p class="muted">Approvers decide from the link in their own email or from the dashboard.</p>`,
  );
}

/** The sign-in confirm page a magic link opens: one button that POSTs the token. */
export function signInPage(p: { email: string; token: string }): string {
  return page(
    "Sign in",
    `<div class="panel"><h1>Sign in to Countersign</h1><p>Sign in as <strong class="break">${esc(p.email)}</strong>?</p>
<form method="post" action="/auth/magic"><input type="hidden" name="t" value="${esc(p.token)}">
<button class="button button-primary" type="submit">Sign in</button></form></div>`,
  );
}
