/**
 * Telling the customer (NotifyCustomer): one email when the order shipped (then the order is
 * COMPLETED), one when it failed, with the reason in plain words (customer-emails.ts). Email is at-least-once — a send whose answer
 * is lost may be repeated by a retry — which is the usual contract of mail and harmless here.
 */
import { email } from "../shared/clients.ts";
import { simpleEmailCommand } from "../shared/email-command.ts";
import { resource } from "../shared/resources.ts";
import { failedEmail, shippedEmail } from "./customer-emails.ts";
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
  const records = await readOrderRecords(deps, orderId);
  const { order, shipment } = records;
  const to = order?.customer?.email;
  if (!order || !to) {
    // Validation failed before an order (and its customer) was known: nobody to tell.
    return { orderId, kind, sent: false };
  }
  // What the customer reads is chosen here from what happened (the ledger says whether anything
  // was charged or refunded); the technical cause stays on the order for operators.
  const mail =
    kind === "completed" ? shippedEmail(order, records, shipment) : failedEmail(order, records);
  const { messageId } = await deps.mailer.send({ to: [to], ...mail });
  if (kind === "completed") await completeOrder(deps, orderId);
  return { orderId, kind, sent: true, messageId };
}
