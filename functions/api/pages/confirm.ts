/**
 * The confirm page an approval link opens: the order summary and a plain form (no JavaScript)
 * that POSTs the decision with the link's signature and its CSRF token as hidden fields.
 */
import { type ApprovalRecord, esc, money } from "../../approvals/index.ts";
import { page } from "./layout.ts";

export function confirmPage(p: {
  rec: ApprovalRecord;
  approver: string;
  sig: string;
  csrf: string;
  intent?: "approve" | "reject";
}): string {
  const { rec } = p;
  const s = rec.summary;
  const rows = s.lines
    .map(
      (l) =>
        `<tr><td>${esc(l.name ?? l.sku)}<br><span class="muted">${esc(l.sku)}</span></td><td class="n">${esc(l.quantity)}</td><td class="n">${esc(money(l.unitPrice, s.currency))}</td></tr>`,
    )
    .join("");
  const quorum =
    rec.required > 1
      ? `<p class="muted">Needs ${esc(rec.required)} of ${esc(rec.approvers.length)} approvers; ${esc(rec.approvals.length)} approved so far.</p>`
      : "";
  const hint = (d: "approve" | "reject") => (p.intent === d ? " hint" : "");
  return page(
    `Order ${rec.orderId}`,
    `<h1>Approve order ${esc(rec.orderId)}?</h1>
<p>${esc(rec.requester)} asks you (${esc(p.approver)}) to approve this order. It expires at ${esc(rec.expiresAt)}.</p>
<div class="box"><p>Customer: <strong>${esc(s.customer.name)}</strong> &lt;${esc(s.customer.email)}&gt;</p>
<table><thead><tr><th>Item</th><th class="n">Qty</th><th class="n">Unit price</th></tr></thead><tbody>${rows}</tbody></table>
<p class="total">Total: <strong>${esc(money(s.total, s.currency))}</strong></p></div>${quorum}
<form method="post" action="/approvals/${esc(encodeURIComponent(rec.approvalId))}">
<input type="hidden" name="sig" value="${esc(p.sig)}">
<input type="hidden" name="csrf" value="${esc(p.csrf)}">
<label for="comment">Comment (optional)</label>
<textarea id="comment" name="comment" maxlength="1000"></textarea>
<button class="approve${hint("approve")}" type="submit" name="decision" value="approve">Approve</button>
<button class="reject${hint("reject")}" type="submit" name="decision" value="reject">Reject</button>
</form>
<p class="muted">Nothing is decided until you press a button.</p>`,
  );
}

/** The sign-in confirm page a magic link opens: one button that POSTs the token. */
export function signInPage(p: { email: string; token: string }): string {
  return page(
    "Sign in",
    `<h1>Sign in to Countersign</h1><p>Sign in as <strong>${esc(p.email)}</strong>?</p>
<form method="post" action="/auth/magic"><input type="hidden" name="t" value="${esc(p.token)}">
<button class="primary" type="submit">Sign in</button></form>`,
  );
}
