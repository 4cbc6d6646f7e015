/**
 * RequestApproval: the `.waitForTaskToken` task any workflow sends the approval request contract
 * to (functions/approvals/contract.ts). Stores the approval (task token kept server-side), records
 * it in the ledger and emails every approver a signed link. Returns quickly; the workflow waits
 * until a decision calls SendTaskSuccess (or the state's TimeoutSeconds passes). A request that
 * breaks the contract has already failed its task (`Approval.InvalidRequest`, naming each field):
 * the handler returns normally. A dependency that is down surfaces as
 * `TransientInfrastructureError`, which the workflow retries.
 */

import { depsFromResources } from "./api/deps.ts";
import { ApprovalService, RequestRefusedError } from "./approvals/index.ts";
import { withTransientErrors } from "./shared/transient.ts";

let service: ApprovalService | undefined;

export const handler = withTransientErrors(async (event: unknown) => {
  service ??= new ApprovalService(depsFromResources());
  try {
    return await service.request(event);
  } catch (error) {
    if (error instanceof RequestRefusedError) return { refused: true, issues: error.issues };
    throw error;
  }
});
