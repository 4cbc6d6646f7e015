/**
 * The emails approvals send (request, reminder, escalation and delegation notices, expiry,
 * sign-in link): pure templates with a text and an HTML part, rendered from the request contract
 * alone, and `sendEmail` over SES v2. Links in them carry only signed, expiring claims — never a
 * task token.
 */
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import { simpleEmailCommand } from "../shared/email-command.ts";
import { formatDateTime } from "../shared/format.ts";
import { quorumText } from "./quorum.ts";
import { detailsHtml, detailsText, esc, summaryHtml, summaryText } from "./render.ts";
import type { ApprovalRecord } from "./types.ts";

export { esc, money } from "./render.ts";

/** A rendered email. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

type Shown = Pick<ApprovalRecord, "title" | "summary" | "details">;

function button(href: string, label: string, colour: string): string {
  return `<a href="${esc(href)}" style="display:inline-block;padding:12px 24px;margin:4px;border-radius:6px;background:${colour};color:#fff;text-decoration:none;font-weight:bold">${esc(label)}</a>`;
}

/** The footer of mails about a request: its buttons only open a page. */
const DECIDING_FOOTER =
  "Sent by Countersign. Buttons open a confirmation page; nothing is decided until you confirm there.";
/** The footer of the sign-in mail, which decides nothing. */
const SIGN_IN_FOOTER =
  "Sent by Countersign because someone asked to sign in with this address. The link only signs you in.";

function frame(body: string, footer = DECIDING_FOOTER): string {
  return `<!doctype html><html><body style="font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:600px;margin:auto;padding:16px;color:#1b2430;line-height:1.5">${body}<p style="color:#5b6675;font-size:12px">${esc(footer)}</p></body></html>`;
}

function requestBody(r: Shown): { text: string; html: string } {
  return {
    text: [summaryText(r.summary), detailsText(r.details)].filter(Boolean).join("\n\n"),
    html: `${summaryHtml(r.summary)}${detailsHtml(r.details)}`,
  };
}

/** The request to an approver, with Approve and Reject buttons leading to the confirm page. */
export function approvalRequestEmail(p: {
  request: Shown &
    Pick<ApprovalRecord, "requester" | "expiresAt" | "required"> &
    Partial<Pick<ApprovalRecord, "approvals">>;
  approverCount: number;
  link: string;
  reminder?: boolean;
  /** Set when the approver is a delegate: whom they decide for. */
  onBehalfOf?: string;
  /** Set when the approver was asked by escalation: who was asked first. */
  escalatedFrom?: string[];
}): EmailContent {
  const r = p.request;
  const prefix = p.reminder ? "Reminder: " : p.escalatedFrom ? "Escalated: " : "";
  const subject = `${prefix}Approval requested: ${r.title}`;
  // Where an M-of-N request stands, in the words of every list: "1 of 2 approvals so far".
  const sofar = r.approvals?.length
    ? ` ${quorumText({ approvals: r.approvals, required: r.required })} so far.`
    : "";
  const quorum =
    r.required > 1 ? ` It needs ${r.required} of ${p.approverCount} approvers.${sofar}` : "";
  const forWhom = p.onBehalfOf
    ? ` You decide on behalf of ${p.onBehalfOf}, who delegated to you.`
    : "";
  const escalated = p.escalatedFrom
    ? ` Nobody decided in time, so you are asked as well as ${p.escalatedFrom.join(", ")}.`
    : "";
  const intro = `${r.requester} asks for your approval: ${r.title}.${quorum}${forWhom}${escalated} The request expires at ${formatDateTime(r.expiresAt)}.`;
  const approve = `${p.link}&intent=approve`;
  const reject = `${p.link}&intent=reject`;
  const body = requestBody(r);
  const text = [
    p.reminder ? "This request is still waiting for your decision." : "",
    intro,
    "",
    body.text,
    "",
    `Approve: ${approve}`,
    `Reject: ${reject}`,
    "",
    "Each link opens a confirmation page; nothing is decided until you confirm there.",
  ]
    .filter((l, i) => i > 0 || l)
    .join("\n");
  const html = frame(
    `<h2>${esc(subject)}</h2>${p.reminder ? "<p><strong>This request is still waiting for your decision.</strong></p>" : ""}<p>${esc(intro)}</p>${body.html}<p>${button(approve, "Approve", "#1e7b43")}${button(reject, "Reject", "#b42318")}</p>`,
  );
  return { subject, text, html };
}

/** A notice without a decision link (escalation told to the first approvers, delegation). */
export function noticeEmail(p: { request: Shown; subject: string; line: string }): EmailContent {
  const subject = `${p.subject}: ${p.request.title}`;
  const body = requestBody(p.request);
  return {
    subject,
    text: `${p.line}\n\n${body.text}`,
    html: frame(`<h2>${esc(subject)}</h2><p>${esc(p.line)}</p>${body.html}`),
  };
}

/** Tells the requester their request expired undecided. */
export function expiredEmail(p: { request: Shown; expiresAt: string }): EmailContent {
  return noticeEmail({
    request: p.request,
    subject: "Approval expired",
    line: `Nobody decided on "${p.request.title}" before ${formatDateTime(p.expiresAt)}, so the request expired and counts as rejected.`,
  });
}

/** A sign-in link for the dashboard; it opens a page with a "Sign in" button. */
export function magicLinkEmail(p: { link: string; expiresAt: string }): EmailContent {
  const subject = "Sign in to Countersign";
  const until = formatDateTime(p.expiresAt);
  const text = `Open this link to sign in to Countersign (it works once, until ${until}):\n\n${p.link}\n\nIf you did not ask to sign in, ignore this email.`;
  const html = frame(
    `<h2>${esc(subject)}</h2><p>This link works once, until ${esc(until)}.</p><p>${button(p.link, "Sign in", "#2f5bd3")}</p><p>If you did not ask to sign in, ignore this email.</p>`,
    SIGN_IN_FOOTER,
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
