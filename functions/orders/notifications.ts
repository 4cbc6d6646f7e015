/**
 * Telling the customer (NotifyCustomer): one email when the order shipped (then the order is
 * COMPLETED), one when it failed, with the reason. Email is at-least-once — a send whose answer
 * is lost may be repeated by a retry — which is the usual contract of mail and harmless here.
 */
import { email } from "../shared/clients.ts";
import { simpleEmailCommand } from "../shared/email-command.ts";
import { resource } from "../shared/resources.ts";
import type { OrderDeps } from "./deps.ts";
import { readOrderRecords } from "./order-records.ts";
import { completeOrder } from "./orders.ts";

/** Sends one email; the default goes through SES (SESv2 SendEmail) from the linked sender. */
export interface Mailer {
  send(mail: {
    to: string[];
    subject: string;
    text: string;
    html: string;
  }): Promise<{ messageId: string }>;
}

/** The default mailer: SESv2 SendEmail from the linked `Email` sender. */
export function sesMailer(): Mailer {
  return {
    async send(mail) {
      const { MessageId } = await email().send(
        simpleEmailCommand(resource("Email").sender, mail.to, mail),
      );
      return { messageId: MessageId ?? "" };
    },
  };
}

export type NotifyKind = "completed" | "failed";

export async function notifyCustomer(
  deps: OrderDeps,
  orderId: string,
  kind: NotifyKind,
): Promise<{ orderId: string; kind: NotifyKind; sent: boolean; messageId?: string }> {
  const { order, shipment } = await readOrderRecords(deps, orderId);
  const to = order?.customer?.email;
  if (!order || !to) {
    // Validation failed before an order (and its customer) was known: nobody to tell.
    return { orderId, kind, sent: false };
  }
  let mail: { subject: string; text: string };
  if (kind === "completed") {
    const lines = order.lines.map((l) => `  ${l.quantity} × ${l.name} (${l.sku})`).join("\n");
    mail = {
      subject: `Your order ${orderId} is on its way`,
      text: `Hello ${order.customer.name},\n\nyour order ${orderId} has shipped${shipment ? ` with ${shipment.carrier}, tracking number ${shipment.trackingNumber}` : ""}.\n\n${lines}\n\nTotal charged: ${order.total.toFixed(2)} ${order.currency}\n`,
    };
  } else {
    mail = {
      subject: `Your order ${orderId} could not be completed`,
      text: `Hello ${order.customer.name},\n\nwe could not complete your order ${orderId}: ${order.failureReason ?? "an error occurred"}.\nAny reserved items were released and any payment was refunded.\n`,
    };
  }
  const { messageId } = await deps.mailer.send({
    to: [to],
    subject: mail.subject,
    text: mail.text,
    html: `<pre style="font-family:inherit">${escapeHtml(mail.text)}</pre>`,
  });
  if (kind === "completed") await completeOrder(deps, orderId);
  return { orderId, kind, sent: true, messageId };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
