/**
 * SendReminders: the periodic approvals sweep (a cron on AWS, an interval locally). Reminds
 * approvers once before expiry, expires overdue requests and tells their requester, and
 * re-delivers decisions Step Functions did not receive. It reads everything due, page after page,
 * while the invocation has time left.
 */

import type { Context } from "aws-lambda";
import { depsFromResources } from "./api/deps.ts";
import { ApprovalService } from "./approvals/index.ts";

let service: ApprovalService | undefined;

export async function handler(_event?: unknown, context?: Partial<Context>) {
  service ??= new ApprovalService(depsFromResources());
  const left = context?.getRemainingTimeInMillis;
  return service.sweep(left ? { timeLeftMs: () => left.call(context) } : {});
}
