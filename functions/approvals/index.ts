/**
 * Public surface of the approvals domain: the services the API and handlers use, the errors the
 * API maps to statuses, and the shapes the dashboard sees.
 */
export type { ApprovalDeps, Log } from "./deps.ts";
export { cryptoRandom, jsonLog } from "./deps.ts";
export type { EmailContent } from "./emails.ts";
export { esc, money } from "./emails.ts";
export * from "./errors.ts";
export type { ApprovalSettings, ApproverChoice } from "./policy.ts";
export {
  chooseApprovers,
  DEFAULT_APPROVAL_THRESHOLD,
  DEFAULT_DUAL_APPROVAL_THRESHOLD,
  DEFAULT_TIMEOUT_SECONDS,
} from "./policy.ts";
export type { DecideInput, DecideResult } from "./service.ts";
export { ApprovalService } from "./service.ts";
export type { Session } from "./sessions.ts";
export { SessionService } from "./sessions.ts";
export type { LinkClaims } from "./signing.ts";
export { formToken, readLink, Signer, signLink } from "./signing.ts";
export type { SweepReport } from "./sweep.ts";
export type {
  ApprovalRecord,
  ApprovalStatus,
  ApprovalView,
  DecisionOutput,
  OrderSummary,
  RequestApprovalInput,
  Vote,
} from "./types.ts";
export { requestApprovalSchema, toView } from "./types.ts";
