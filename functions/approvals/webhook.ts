/**
 * The webhook channel: when Settings.webhookUrl is set, each request is announced once with a JSON
 * POST (title, summary, details, requester, approvers, expiry and a signed read-only link — never
 * the task token, never an approver's decision link) so a chat tool or an internal system can show
 * it. The receiver checks `X-Countersign-Signature: sha256=<hex HMAC of "<timestamp>.<body>">`
 * with the webhook key (`countersign approvals webhook-key`, derived from the SigningKey secret)
 * and rejects stale `X-Countersign-Timestamp`s. At most once per request: the announcement is
 * claimed on the record before it is sent, as reminders are.
 */
import { createHmac } from "node:crypto";
import { SYSTEM_ACTOR, VIEWER } from "./constants.ts";
import type { ApprovalService } from "./service.ts";
import type { ApprovalRecord } from "./types.ts";

/** How long the receiver is given to answer. */
const WEBHOOK_TIMEOUT_MS = 10_000;

/** The announcement's body. */
export interface WebhookBody {
  type: "approval.requested";
  approvalId: string;
  title: string;
  summary: ApprovalRecord["summary"];
  details?: string;
  requester: string;
  approvers: string[];
  required: number;
  expiresAt: string;
  /** Opens the request read-only; deciding stays with each approver's own link. */
  link: string;
}

/** The signature header's value for a body sent at `timestamp` (epoch seconds). */
export function webhookSignature(keyHex: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", Buffer.from(keyHex, "hex")).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** Announces `rec` to the configured webhook, once; failures are logged, never thrown. */
export async function announce(service: ApprovalService, rec: ApprovalRecord): Promise<void> {
  const url = service.deps.settings.webhookUrl;
  if (!url) return;
  const now = service.now;
  if (!(await service.store.mark(rec.approvalId, "announcedAt", now.toISOString()))) return;
  const payload: WebhookBody = {
    type: "approval.requested",
    approvalId: rec.approvalId,
    title: rec.title,
    summary: rec.summary,
    ...(rec.details ? { details: rec.details } : {}),
    requester: rec.requester,
    approvers: rec.approvers,
    required: rec.required,
    expiresAt: rec.expiresAt,
    link: service.link(rec, VIEWER),
  };
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  let status: number | string;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Countersign-Webhook/1",
        "x-countersign-timestamp": timestamp,
        "x-countersign-signature": webhookSignature(
          service.signer.webhookKeyHex(),
          timestamp,
          body,
        ),
      },
      body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await res.body?.cancel();
    status = res.status;
  } catch (err) {
    status = (err as Error).name;
  }
  const ok = typeof status === "number" && status < 300;
  if (!ok) service.log.error("webhook announcement failed", { approvalId: rec.approvalId, status });
  await service.record(rec.approvalId, "announced", SYSTEM_ACTOR, "webhook", {
    host: new URL(url).host,
    status,
    shown: rec.title,
  });
}
