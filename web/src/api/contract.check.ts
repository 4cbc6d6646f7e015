/**
 * Type-check fixture, never run or bundled: `npm run typecheck` compiles it with the dashboard
 * (web/tsconfig.json). Each `@ts-expect-error` line uses the API the way a drifted dashboard
 * would; if the server's types stopped reaching the dashboard (an `any` anywhere on the way), the
 * line would compile, the directive would be unused, and the type-check would fail. The lines
 * without a directive pin names the dashboard relies on, so renaming one on the server fails here
 * as well as in the page that reads it.
 */
import type { ApiClient, Approval, ExecutionDetail, HistoryEvent, Mail, Order } from "./types.ts";

declare const client: ApiClient;
declare const approval: Approval;
declare const order: Order;
declare const detail: ExecutionDetail;
declare const event: HistoryEvent;
declare const mail: Mail;

export const pinned: Array<string | undefined> = [
  approval.approvalId,
  approval.decidedBy,
  approval.title,
  approval.summary[0]?.label,
  order.failureReason,
  order.customer.email,
  detail.execution.startDate,
  event.timestamp,
  mail.subject,
];

export async function drifted(): Promise<unknown[]> {
  return [
    // @ts-expect-error a field the server does not send (it sends `decidedBy`)
    approval.decided_by,
    // @ts-expect-error the approvals know nothing of orders: no order id on a request
    approval.orderId,
    // @ts-expect-error orders have `failureReason`, not `reason`
    order.reason,
    // @ts-expect-error an order's customer is an object, never a bare string
    order.customer.toUpperCase(),
    // @ts-expect-error dates travel as ISO strings, not numbers
    detail.execution.startDate.toFixed(),
    // @ts-expect-error history event ids are numbers
    event.id.toUpperCase(),
    // @ts-expect-error no such route on the server
    client.api.approval.$get(),
    // @ts-expect-error the server accepts only "approve" or "reject"
    client.api.approvals[":id"].decision.$post({ param: { id: "a" }, json: { decision: "ok" } }),
    // @ts-expect-error the status filter is one of the server's enum values
    client.api.executions.$get({ query: { status: "DONE" } }),
    // @ts-expect-error the magic-link route takes `email` in a JSON body
    client.api.auth["magic-link"].$post({ json: { address: "a@b.c" } }),
    // @ts-expect-error the dashboard runs in a browser: no Node globals (web/tsconfig.json)
    process.env.HOME,
  ];
}
