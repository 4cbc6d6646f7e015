/**
 * The emails approvals send (request, reminder, expiry, sign-in link): pure templates with a text
 * and an HTML part, and `sendEmail` over SES v2. Links in them carry only signed, expiring claims —
 * never a task token.
 */
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import { simpleEmailCommand } from "../shared/email-command.ts";
import type { OrderSummary } from "./types.ts";

/** A rendered email. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** `1,234.50 EUR` style amounts, stable across locales of the machine. */
export function money(amount: number, currency: string): string {
  return `${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
}

function summaryText(s: OrderSummary): string {
  const lines = s.lines.map(
    (l) => `  ${l.quantity} x ${l.name ?? l.sku} (${l.sku}) at ${money(l.unitPrice, s.currency)}`,
  );
  return [
    `Customer: ${s.customer.name}${s.customer.email ? ` <${s.customer.email}>` : ""}`,
    "Lines:",
    ...lines,
    `Total: ${money(s.total, s.currency)}`,
  ].join("\n");
}

function summaryHtml(s: OrderSummary): string {
  const rows = s.lines
    .map(
      (l) =>
        `<tr><td>${esc(l.name ?? l.sku)}<br><small>${esc(l.sku)}</small></td><td align="right">${esc(l.quantity)}</td><td align="right">${esc(money(l.unitPrice, s.currency))}</td></tr>`,
    )
    .join("");
  const email = s.customer.email ? ` &lt;${esc(s.customer.email)}&gt;` : "";
  return `<p>Customer: <strong>${esc(s.customer.name)}</strong>${email}</p>
<table cellpadding="6" style="border-collapse:collapse"><thead><tr><th align="left">Item</th><th>Qty</th><th>Unit price</th></tr></thead><tbody>${rows}</tbody></table>
<p style="font-size:18px">Total: <strong>${esc(money(s.total, s.currency))}</strong></p>`;
}

function button(href: string, label: string, colour: string): string {
  return `<a href="${esc(href)}" style="display:inline-block;padding:12px 24px;margin:4px;border-radius:6px;background:${colour};color:#fff;text-decoration:none;font-weight:bold">${esc(label)}</a>`;
}

function frame(body: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:600px;margin:auto;color:#1a1a1a">${body}<p style="color:#666;font-size:12px">Sent by Countersign. Buttons open a confirmation page; nothing is decided until you confirm there.</p></body></html>`;
}

/** The request to an approver, with Approve and Reject buttons leading to the confirm page. */
export function approvalRequestEmail(p: {
  orderId: string;
  requester: string;
  summary: OrderSummary;
  link: string;
  expiresAt: string;
  required: number;
  approverCount: number;
  reminder?: boolean;
}): EmailContent {
  const prefix = p.reminder ? "Reminder: " : "";
  const subject = `${prefix}Approve order ${p.orderId} for ${money(p.summary.total, p.summary.currency)}?`;
  const quorum = p.required > 1 ? ` It needs ${p.required} of ${p.approverCount} approvers.` : "";
  const intro = `${p.requester} asks you to approve order ${p.orderId}.${quorum} The request expires at ${p.expiresAt}.`;
  const approve = `${p.link}&intent=approve`;
  const reject = `${p.link}&intent=reject`;
  const text = [
    p.reminder ? "This request is still waiting for your decision." : "",
    intro,
    "",
    summaryText(p.summary),
    "",
    `Approve: ${approve}`,
    `Reject: ${reject}`,
    "",
    "Each link opens a confirmation page; nothing is decided until you confirm there.",
  ]
    .filter((l, i) => i > 0 || l)
    .join("\n");
  const html = frame(
    `<h2>${esc(subject)}</h2>${p.reminder ? "<p><strong>This request is still waiting for your decision.</strong></p>" : ""}<p>${esc(intro)}</p>${summaryHtml(p.summary)}<p>${button(approve, "Approve", "#1a7f37")}${button(reject, "Reject", "#cf222e")}</p>`,
  );
  return { subject, text, html };
}

/** Tells the requester their request expired undecided. */
export function expiredEmail(p: {
  orderId: string;
  summary: OrderSummary;
  expiresAt: string;
}): EmailContent {
  const subject = `Approval for order ${p.orderId} expired`;
  const line = `Nobody decided on order ${p.orderId} (${money(p.summary.total, p.summary.currency)}) before ${p.expiresAt}, so the request expired and the order will not go ahead.`;
  return {
    subject,
    text: `${line}\n\n${summaryText(p.summary)}`,
    html: frame(`<h2>${esc(subject)}</h2><p>${esc(line)}</p>${summaryHtml(p.summary)}`),
  };
}

/** A sign-in link for the dashboard; it opens a page with a "Sign in" button. */
export function magicLinkEmail(p: { link: string; expiresAt: string }): EmailContent {
  const subject = "Sign in to Countersign";
  const text = `Open this link to sign in to Countersign (it works once, until ${p.expiresAt}):\n\n${p.link}\n\nIf you did not ask to sign in, ignore this email.`;
  const html = frame(
    `<h2>${esc(subject)}</h2><p>This link works once, until ${esc(p.expiresAt)}.</p><p>${button(p.link, "Sign in", "#0969da")}</p><p>If you did not ask to sign in, ignore this email.</p>`,
  );
  return { subject, text, html };
}

/** Sends one email through SES v2. */
export async function sendEmail(
  ses: SESv2Client,
  from: string,
  to: string,
  content: EmailContent,
): Promise<void> {
  await ses.send(simpleEmailCommand(from, [to], content));
}
