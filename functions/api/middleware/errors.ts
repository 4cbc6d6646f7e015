/**
 * The one place errors become responses. API routes (`/api/...`) answer RFC 9457 problem+json;
 * pages people open from email answer an HTML page saying what happened and what to do.
 * Unexpected errors are logged by name only (never request bodies, tokens or keys).
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import {
  AlreadyDecidedError,
  AlreadyVotedError,
  ApprovalExpiredError,
  ApprovalsError,
  esc,
  type FieldIssue,
  type Log,
  TooManySignInLinksError,
  ValidationError,
} from "../../approvals/index.ts";
import { isTransientInfrastructure } from "../../shared/transient.ts";
import { messagePageHtml } from "../pages/layout.ts";
import { timeHtml } from "../pages/times.ts";

/** Seconds a client is asked to wait when a dependency (the database) is briefly unavailable. */
const RETRY_AFTER_SECONDS = 5;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldIssue[];
  decidedBy?: string;
  decidedAt?: string;
  /** With `decidedBy`/`decidedAt` (409 already decided): so a client can say it in its reader's zone. */
  decision?: "approved" | "rejected";
}

const slug = (name: string) =>
  name
    .replace(/Error$/, "")
    .replace(/([a-z])([A-Z])/g, "$1-$2")
    .toLowerCase();

/** The problem document for an error. */
export function toProblem(err: unknown): Problem {
  if (err instanceof ApprovalsError) {
    const problem: Problem = {
      type: `urn:countersign:problem:${slug(err.name)}`,
      title: err.title,
      status: err.status,
      detail: err.message,
    };
    if (err instanceof ValidationError) problem.errors = err.issues;
    if (err instanceof AlreadyDecidedError) {
      problem.decidedBy = err.by;
      problem.decidedAt = err.at;
      problem.decision = err.decision;
    }
    return problem;
  }
  if (err instanceof HTTPException && err.status < 500) {
    const field = err.status === 400 ? [{ field: "body", message: err.message }] : undefined;
    return {
      type: "about:blank",
      title: err.status === 413 ? "Request too large" : "Bad request",
      status: err.status,
      detail: err.message,
      ...(field ? { errors: field } : {}),
    };
  }
  if (isTransientInfrastructure(err)) {
    // The table or another service is briefly unreachable (restarting, throttling): retryable.
    return {
      type: "urn:countersign:problem:temporarily-unavailable",
      title: "Temporarily unavailable",
      status: 503,
      detail: "A service this page depends on is briefly unavailable. Try again in a few seconds.",
    };
  }
  return {
    type: "about:blank",
    title: "Internal error",
    status: 500,
    detail: "Something went wrong on our side. Try again.",
  };
}

export function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}

/** A problem+json response. */
export function problemResponse(c: Context, problem: Problem): Response {
  return c.body(JSON.stringify(problem), problem.status as 400, {
    "content-type": "application/problem+json",
  });
}

/** Builds the app's `onError`. */
export function onError(log: Log) {
  return (err: Error, c: Context): Response => {
    const problem = toProblem(err);
    if (err instanceof TooManySignInLinksError) {
      c.header("retry-after", String(err.retryAfterSeconds));
    }
    if (problem.status === 503) c.header("retry-after", String(RETRY_AFTER_SECONDS));
    if (problem.status >= 500) {
      log.error("request failed", {
        method: c.req.method,
        path: c.req.path,
        error: err.name,
        detail: err.message,
      });
    }
    if (isApiPath(c.req.path)) return problemResponse(c, problem);
    return c.html(messagePageHtml(problem.title, pageDetail(err, problem)), problem.status as 400);
  };
}

/** The page's sentence for an error, as HTML: its times in `<time>`, shown in the reader's zone. */
function pageDetail(err: Error, problem: Problem): string {
  if (problem.errors?.length)
    return esc(problem.errors.map((e) => `${e.field}: ${e.message}`).join("; "));
  if (err instanceof AlreadyDecidedError)
    return `Already ${esc(err.decision)} by ${esc(err.by)} at ${timeHtml(err.at)}.`;
  if (err instanceof AlreadyVotedError) {
    const left = Math.max(0, err.required - err.count);
    return `You (${esc(err.by)}) approved at ${timeHtml(err.at)}. Your approval is recorded; ${left} more needed (${err.count} of ${err.required} approvals).`;
  }
  if (err instanceof ApprovalExpiredError)
    return `This request expired at ${timeHtml(err.expiredAt)}.`;
  return esc(problem.detail);
}
