/**
 * SendReminders: the periodic approvals sweep (a cron on AWS, an interval locally). Reminds
 * approvers once before expiry, expires overdue requests and tells their requester, and
 * re-delivers decisions Step Functions did not receive.
 */

import { depsFromResources } from "./api/deps.ts";
import { ApprovalService } from "./approvals/index.ts";

let service: ApprovalService | undefined;

export async function handler() {
  service ??= new ApprovalService(depsFromResources());
  return service.sweep();
}
