/**
 * Errors of the approvals domain. Each one carries the HTTP status it means, so the API maps them
 * in one place (`functions/api/middleware/errors.ts`) to an HTML page for people or a problem+json
 * body for the dashboard. Messages are written for the person who clicked: whole sentences, times
 * in the one format of functions/shared/format.ts (the fields keep the ISO instants).
 */
import { formatDateTime } from "../shared/format.ts";

/** Base class: an approvals error with the HTTP status it maps to and a short title. */
export class ApprovalsError extends Error {
  override name = "ApprovalsError";
  readonly status: number = 500;
  readonly title: string = "Something went wrong";
}

/** One invalid field of a request, named so the caller can fix it. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Bad input: wrong type, missing or oversized field (400). */
export class ValidationError extends ApprovalsError {
  override name = "ValidationError";
  override readonly status = 400;
  override readonly title = "Invalid request";
  constructor(
    readonly issues: FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join("; "), options);
  }
}

/**
 * An approval request that breaks the contract, after its task was failed with
 * `Approval.InvalidRequest` (request.ts): nothing was stored or sent.
 */
export class RequestRefusedError extends ValidationError {
  override name = "RequestRefusedError";
}

/** No such approval (never existed, or removed after its retention) (404). */
export class ApprovalNotFoundError extends ApprovalsError {
  override name = "ApprovalNotFoundError";
  override readonly status = 404;
  override readonly title = "Approval request not found";
}

/** The link's signature does not verify, or it was made for another request (403). */
export class InvalidLinkError extends ApprovalsError {
  override name = "InvalidLinkError";
  override readonly status = 403;
  override readonly title = "This link is not valid";
}

/** The link is genuine but its holder is not one of this request's approvers (403). */
export class WrongApproverError extends ApprovalsError {
  override name = "WrongApproverError";
  override readonly status = 403;
  override readonly title = "You are not an approver of this request";
}

/** The requester tried to approve their own request (403). */
export class SelfApprovalError extends ApprovalsError {
  override name = "SelfApprovalError";
  override readonly status = 403;
  override readonly title = "You cannot approve your own request";
}

/** A state-changing request without a valid CSRF token (403). */
export class CsrfError extends ApprovalsError {
  override name = "CsrfError";
  override readonly status = 403;
  override readonly title = "Missing or invalid form token";
}

/** No valid session (401). */
export class UnauthenticatedError extends ApprovalsError {
  override name = "UnauthenticatedError";
  override readonly status = 401;
  override readonly title = "Sign in required";
}

/** A magic sign-in link that does not verify or was already used (403). */
export class InvalidSignInLinkError extends ApprovalsError {
  override name = "InvalidSignInLinkError";
  override readonly status = 403;
  override readonly title = "This sign-in link is not valid";
}

/** The request was already decided; says by whom and when (409). */
export class AlreadyDecidedError extends ApprovalsError {
  override name = "AlreadyDecidedError";
  override readonly status = 409;
  override readonly title = "Already decided";
  constructor(
    readonly decision: "approved" | "rejected",
    readonly by: string,
    readonly at: string,
    options?: { cause?: unknown },
  ) {
    super(`Already ${decision} by ${by} at ${formatDateTime(at)}.`, options);
  }
}

/**
 * The approver already approved a request that still needs more approvals (409): their vote
 * counts, nothing is decided yet — not "already approved by …" as if the request were settled.
 */
export class AlreadyVotedError extends ApprovalsError {
  override name = "AlreadyVotedError";
  override readonly status = 409;
  override readonly title = "You already approved";
  constructor(
    readonly by: string,
    readonly at: string,
    readonly count: number,
    readonly required: number,
    options?: { cause?: unknown },
  ) {
    const left = Math.max(0, required - count);
    super(
      `You (${by}) approved at ${formatDateTime(at)}. Your approval is recorded; ${left} more needed (${count} of ${required} approvals).`,
      options,
    );
  }
}

/** The request (or link) expired; says when (410). */
export class ApprovalExpiredError extends ApprovalsError {
  override name = "ApprovalExpiredError";
  override readonly status = 410;
  override readonly title = "This request expired";
  constructor(
    readonly expiredAt: string,
    options?: { cause?: unknown },
  ) {
    super(`This request expired at ${formatDateTime(expiredAt)}.`, options);
  }
}

/** No approver can be chosen for a request (configuration problem; fails the saga task). */
export class NoApproversError extends ApprovalsError {
  override name = "NoApproversError";
  override readonly status = 500;
  override readonly title = "No approvers configured";
}

/** Not found for API routes other than approvals (e.g. outbox when not local) (404). */
export class NotFoundError extends ApprovalsError {
  override name = "NotFoundError";
  override readonly status = 404;
  override readonly title = "Not found";
}

/** A browser form posted from another site (403). */
export class ForbiddenOriginError extends ApprovalsError {
  override name = "ForbiddenOriginError";
  override readonly status = 403;
  override readonly title = "Form sent from another site";
}

/** A signed-in person asked for what only operators see: orders and executions (403). */
export class OperatorsOnlyError extends ApprovalsError {
  override name = "OperatorsOnlyError";
  override readonly status = 403;
  override readonly title = "For operators only";
}

/** Too many sign-in links asked for one address in a short time (429). */
export class TooManySignInLinksError extends ApprovalsError {
  override name = "TooManySignInLinksError";
  override readonly status = 429;
  override readonly title = "Too many sign-in links";
  constructor(
    message: string,
    /** Seconds until a new link may be asked for (the `Retry-After` header). */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A sign-in link past its expiry (410). */
export class SignInLinkExpiredError extends ApprovalsError {
  override name = "SignInLinkExpiredError";
  override readonly status = 410;
  override readonly title = "This sign-in link expired";
}
