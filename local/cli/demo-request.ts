/**
 * The demo order `npm start` shows waiting for a person's approval. At most one waits at a time:
 * a start that finds a demo order still waiting (placed by an earlier start, or by `orders place
 * --demo`) shows that one's link again instead of placing another, so restarts do not pile up
 * demo requests in the inbox.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { DEMO_ORDER_PREFIX, demoOrder, newDemoOrderId } from "../platform/demo.ts";
import type { PlatformClient } from "./local-client.ts";

export interface DemoRequest {
  orderId: string;
  /** The approver's link from the approval email, on this platform's API; absent if the mail is gone. */
  link?: string;
  /** True when the order was waiting already (nothing was placed by this start). */
  reused: boolean;
}

/** The demo order waiting for approval: the one already waiting, or a new one. */
export async function demoRequest(c: PlatformClient, now = new Date()): Promise<DemoRequest> {
  const waiting = (await c.pendingApprovals())
    .filter((a) => a.orderId.startsWith(DEMO_ORDER_PREFIX) && Date.parse(a.expiresAt) > +now)
    .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt))
    .at(-1);
  if (waiting) {
    // Its email was sent by an earlier start, and may be gone with an emptied outbox.
    const link = await approvalLink(c, waiting.orderId, 0);
    return { orderId: waiting.orderId, reused: true, ...(link ? { link } : {}) };
  }
  const { orderId } = await c.placeOrder(demoOrder(newDemoOrderId(now)));
  const link = await approvalLink(c, orderId, 20_000);
  if (!link)
    throw new Error(
      `No approval email for the demo order ${orderId} arrived: see \`countersign executions history ${orderId}\``,
    );
  return { orderId, reused: false, link };
}

/**
 * The link in the approval email of `orderId`, waiting up to `ms` for it, with this platform's
 * origin: an email sent before a restart on another port (`--port 0`) still names the old one,
 * and the link's signature does not depend on it.
 */
async function approvalLink(c: PlatformClient, orderId: string, ms: number) {
  for (let waited = 0; ; waited += 250) {
    const mail = (await c.outbox()).find(
      (m) => m.text.includes(orderId) && /\/approvals\//.test(m.text),
    );
    const link = mail && /(https?:\/\/\S+\/approvals\/\S+)/.exec(mail.text)?.[1];
    if (link) {
      const url = new URL(link);
      const api = new URL(c.urls.api);
      url.protocol = api.protocol;
      url.host = api.host;
      return url.toString();
    }
    if (waited >= ms) return undefined;
    await sleep(250);
  }
}
