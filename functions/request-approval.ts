/**
 * RequestApproval: the order saga's `.waitForTaskToken` task. Stores the approval (task token kept
 * server-side) and emails every approver a signed link. Returns quickly; the saga waits until a
 * decision calls SendTaskSuccess (or the state's TimeoutSeconds passes).
 */

import { depsFromResources } from "./api/deps.ts";
import { ApprovalService } from "./approvals/index.ts";

let service: ApprovalService | undefined;

export async function handler(event: unknown) {
  service ??= new ApprovalService(depsFromResources());
  return service.request(event);
}
