/**
 * Public surface of the approvals domain: the request contract, the services the API and
 * handlers use, the errors the API maps to statuses, the shapes the dashboard sees, and the
 * ledger's export and verification.
 */
export { escalate, reassign } from "./approvers-change.ts";
export type {
  ApprovalRequest,
  ApprovalRequestInput,
  Channel,
  DecisionOutput,
  FormField,
  SummaryField,
  Vote,
} from "./contract.ts";
export { approvalRequestSchema } from "./contract.ts";
export type { DecideInput, DecideResult } from "./decide.ts";
export type { Delegation } from "./delegations.ts";
export type { ApprovalDeps, Log } from "./deps.ts";
export { cryptoRandom, jsonLog } from "./deps.ts";
export type { EmailContent } from "./emails.ts";
export * from "./errors.ts";
export type { LedgerEntry, LedgerEventType, LedgerHead } from "./ledger.ts";
export { Ledger } from "./ledger.ts";
export type { LedgerFormat, LedgerLine } from "./ledger-file.ts";
export { chainLines, formatLines, parseLedgerFile } from "./ledger-file.ts";
export type { VerifyProblem, VerifyReport } from "./ledger-verify.ts";
export { verifyLedger } from "./ledger-verify.ts";
export type { ApprovalSettings } from "./policy.ts";
export { DEFAULT_TIMEOUT_SECONDS } from "./policy.ts";
export { approvalsLeft, quorumText, recordedText } from "./quorum.ts";
export { esc, fieldText, money } from "./render.ts";
export { INVALID_REQUEST } from "./request.ts";
export { ApprovalService, VIEWER } from "./service.ts";
export type { Session } from "./sessions.ts";
export { SessionService } from "./sessions.ts";
export type { LinkClaims } from "./signing.ts";
export { formToken, readLink, Signer, signLink } from "./signing.ts";
export type { SweepReport } from "./sweep.ts";
export type { ApprovalRecord, ApprovalStatus, ApprovalView } from "./types.ts";
export { principalOf, statusAt, toView } from "./types.ts";
export type { WebhookBody } from "./webhook.ts";
export { webhookSignature } from "./webhook.ts";
