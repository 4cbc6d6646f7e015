/**
 * RequestApproval: the order saga's `.waitForTaskToken` task. Stores the approval (task token kept
 * server-side) and emails every approver a signed link. Returns quickly; the saga waits until a
 * decision calls SendTaskSuccess (or the state's TimeoutSeconds passes). A dependency that is
 * down surfaces as `TransientInfrastructureError`, which the saga retries.
 */

import { depsFromResources } from "./api/deps.ts";
import { ApprovalService } from "./approvals/index.ts";
import { withTransientErrors } from "./shared/transient.ts";

let service: ApprovalService | undefined;

export const handler = withTransientErrors(async (event: unknown) => {
  service ??= new ApprovalService(depsFromResources());
  return service.request(event);
});
