/**
 * Names the approvals modules share, kept apart so that none of them imports another only for a
 * constant (the service, the sweep and deciding import each other's functions, not these).
 */

/** The claimed "approver" of a read-only link (webhook.ts): never an address, so never an approver. */
export const VIEWER = "viewer";

/** The actor the service itself records in the ledger. */
export const SYSTEM_ACTOR = "countersign";

/** Errors from Step Functions meaning the task no longer waits for us. */
export const TASK_GONE = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);
