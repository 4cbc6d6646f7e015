/**
 * The emails approvals send (request, reminder, escalation and delegation notices, expiry,
 * sign-in link): pure templates with a text and an HTML part, rendered from the request contract
 * alone, and `sendEmail` over SES v2. Links in them carry only signed, expiring claims — never a
 * task token.
 */
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import { simpleEmailCommand } from "../shared/email-command.ts";
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

function frame(body: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:600px;margin:auto;color:#1a1a1a">${body}<p style="color:#666;font-size:12px">Sent by Countersign. Buttons open a confirmation page; nothing is decided until you confirm there.</p></body></html>`;
}

function requestBody(r: Shown): { text: string; html: string } {
  return {
    text: [summaryText(r.summary), detailsText(r.details)].filter(Boolean).join("\n\n"),
    html: `${summaryHtml(r.summary)}${detailsHtml(r.details)}`,
  };
}

/** The request to an approver, with Approve and Reject buttons leading to the confirm page. */
export function approvalRequestEmail(p: {
  request: Shown & Pick<ApprovalRecord, "requester" | "expiresAt" | "required">;
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
  const quorum = r.required > 1 ? ` It needs ${r.required} of ${p.approverCount} approvers.` : "";
  const forWhom = p.onBehalfOf
    ? ` You decide on behalf of ${p.onBehalfOf}, who delegated to you.`
    : "";
  const escalated = p.escalatedFrom
    ? ` Nobody decided in time, so you are asked as well as ${p.escalatedFrom.join(", ")}.`
    : "";
  const intro = `${r.requester} asks for your approval: ${r.title}.${quorum}${forWhom}${escalated} The request expires at ${r.expiresAt}.`;
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
    `<h2>${esc(subject)}</h2>${p.reminder ? "<p><strong>This request is still waiting for your decision.</strong></p>" : ""}<p>${esc(intro)}</p>${body.html}<p>${button(approve, "Approve", "#1a7f37")}${button(reject, "Reject", "#cf222e")}</p>`,
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
    line: `Nobody decided on "${p.request.title}" before ${p.expiresAt}, so the request expired and counts as rejected.`,
  });
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
