/**
 * The demo's requests `npm start` shows waiting for a person: an order above the approval
 * threshold and an expense claim (two workflows, one inbox). At most one of each waits at a time:
 * a start that finds one still waiting (placed by an earlier start, or by `orders place --demo`)
 * shows it again instead of starting another, so restarts do not pile up demo requests.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ListExecutionsCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { DEMO_PREFIX, demoExpense, demoOrder, newDemoOrderId } from "../platform/demo.ts";
import { localStateMachineArn } from "../platform/functions.ts";
import type { PlatformClient } from "./local-client.ts";

export interface DemoRequest {
  /** The order id or expense id (the execution's name). */
  id: string;
  /** The approver's link from the approval email, on this platform's API; absent if the mail is gone. */
  link?: string;
  /** True when it was waiting already (this start started nothing for it). */
  reused: boolean;
}

export interface DemoRequests {
  order: DemoRequest;
  expense: DemoRequest;
}

/** The demo order and expense claim waiting for approval: those already waiting, or new ones. */
export async function demoRequests(c: PlatformClient, now = new Date()): Promise<DemoRequests> {
  const pending = await c.pendingApprovals();
  /** The newest demo request of `machine` still waiting, by its execution's name. */
  const waiting = (machine: string): string | undefined => {
    const executions = `${localStateMachineArn(machine).replace(":stateMachine:", ":execution:")}:`;
    return pending
      .filter((a) => a.executionArn?.startsWith(`${executions}${DEMO_PREFIX}`))
      .filter((a) => Date.parse(a.expiresAt) > +now)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .at(-1)
      ?.executionArn?.slice(executions.length);
  };

  let order: DemoRequest;
  const orderId = waiting("OrderSaga");
  if (orderId) {
    // Its email was sent by an earlier start, and may be gone with an emptied outbox.
    const link = await approvalLink(c, orderId, 0);
    order = { id: orderId, reused: true, ...(link ? { link } : {}) };
  } else {
    const placed = await c.placeOrder(demoOrder(newDemoOrderId(now)));
    const link = await approvalLink(c, placed.orderId, 20_000);
    if (!link)
      throw new Error(
        `No approval email for the demo order ${placed.orderId} arrived: see \`countersign executions history ${placed.orderId}\``,
      );
    order = { id: placed.orderId, reused: false, link };
  }

  // A demo expense started just before a stop may not have written its approval record yet: its
  // running execution counts as waiting too, or every quick restart would start another.
  const expenseId = waiting("ExpenseApproval") ?? (await runningDemo(c, "ExpenseApproval"));
  if (expenseId) return { order, expense: { id: expenseId, reused: true } };
  const expense = demoExpense(now);
  await c.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: localStateMachineArn("ExpenseApproval"),
      name: expense.expenseId,
      input: JSON.stringify(expense),
    }),
  );
  return { order, expense: { id: expense.expenseId, reused: false } };
}

/** The newest running demo execution of `machine`, by name. */
async function runningDemo(c: PlatformClient, machine: string): Promise<string | undefined> {
  const { executions } = await c.sfn.send(
    new ListExecutionsCommand({
      stateMachineArn: localStateMachineArn(machine),
      statusFilter: "RUNNING",
      maxResults: 100,
    }),
  );
  return executions?.find((e) => e.name?.startsWith(DEMO_PREFIX))?.name;
}

/**
 * The link in the approval email about `id`, waiting up to `ms` for it, with this platform's
 * origin: an email sent before a restart on another port (`--port 0`) still names the old one,
 * and the link's signature does not depend on it.
 */
async function approvalLink(c: PlatformClient, id: string, ms: number) {
  for (let waited = 0; ; waited += 250) {
    const mail = (await c.outbox()).find(
      (m) => m.text.includes(id) && /\/approvals\//.test(m.text),
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
