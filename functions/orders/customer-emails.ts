/**
 * The emails a customer gets about an order (shipped, or could not be completed), as pure
 * templates with a text and an HTML part. They say what happened to the customer's money from the
 * ledger — "refunded" only when a charge was refunded, "not charged" when nothing was — give the
 * reason in plain words (customer-reasons.ts), and write amounts and times in the one format of
 * functions/shared/format.ts, in the customer's locale when the order gave one.
 */
import { esc } from "../approvals/render.ts";
import { formatMoney } from "../shared/format.ts";
import { customerReason } from "./customer-reasons.ts";
import { type OrderItem, toDecimal } from "./model.ts";
import type { OrderRecords, ShipmentItem } from "./order-records.ts";

export interface CustomerEmail {
  subject: string;
  text: string;
  html: string;
}

const money = (order: OrderItem, amount: number) =>
  formatMoney(amount, order.currency, order.customer.locale);

function frame(body: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:600px;margin:auto;padding:16px;color:#1b2430;line-height:1.5">${body}<p style="color:#5b6675;font-size:12px">Sent by Countersign on behalf of the shop you ordered from.</p></body></html>`;
}

function linesTable(order: OrderItem): string {
  const rows = order.lines
    .map(
      (l) =>
        `<tr><td style="padding:4px 8px 4px 0">${esc(l.quantity)} × ${esc(l.name)}</td><td style="padding:4px 0;text-align:right;white-space:nowrap">${esc(money(order, l.unitPrice * l.quantity))}</td></tr>`,
    )
    .join("");
  return `<table style="border-collapse:collapse;width:100%">${rows}</table>`;
}

/** The order shipped. */
export function shippedEmail(
  order: OrderItem,
  records: Pick<OrderRecords, "charge">,
  shipment?: ShipmentItem,
): CustomerEmail {
  const subject = `Your order ${order.orderId} is on its way`;
  const shipped = `Your order ${order.orderId} has shipped${shipment ? ` with ${shipment.carrier}, tracking number ${shipment.trackingNumber}` : ""}.`;
  const total = records.charge
    ? `Total charged: ${money(order, toDecimal(records.charge.amountMinor))}`
    : `Total: ${money(order, order.total)}`;
  const lines = order.lines.map((l) => `  ${l.quantity} × ${l.name} (${l.sku})`).join("\n");
  return {
    subject,
    text: `Hello ${order.customer.name},\n\n${shipped}\n\n${lines}\n\n${total}\n`,
    html: frame(
      `<p>Hello ${esc(order.customer.name)},</p><p>${esc(shipped)}</p>${linesTable(order)}<p><strong>${esc(total)}</strong></p>`,
    ),
  };
}

/** The order could not be completed: why, in plain words, and what happened to the money. */
export function failedEmail(
  order: OrderItem,
  records: Pick<OrderRecords, "charge" | "refund">,
): CustomerEmail {
  const subject = `Your order ${order.orderId} could not be completed`;
  const why = `We could not complete your order ${order.orderId} because ${customerReason(order)}.`;
  const paid = records.refund
    ? `The ${money(order, toDecimal(records.refund.amountMinor))} we charged has been refunded to your payment method.`
    : records.charge
      ? `Your payment of ${money(order, toDecimal(records.charge.amountMinor))} is being refunded to your payment method.`
      : "You have not been charged.";
  return {
    subject,
    text: `Hello ${order.customer.name},\n\n${why}\n${paid}\n\nWe are sorry. You are welcome to order again.\n`,
    html: frame(
      `<p>Hello ${esc(order.customer.name)},</p><p>${esc(why)}</p><p>${esc(paid)}</p><p>We are sorry. You are welcome to order again.</p>`,
    ),
  };
}
