/** Errors of the API client. */
import type { Problem } from "../../../functions/api/middleware/errors.ts";
import { formatDateTime } from "../format.ts";

/**
 * An RFC 9457 problem document as the server sends it (functions/api/middleware/errors.ts), or as
 * the client makes one up when there was no answer (a network error has status 0 and no type).
 */
export type ProblemLike = Partial<Problem> & Pick<Problem, "status">;

/** A response that was not 2xx; carries the problem document when the server sent one. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly problem: ProblemLike;

  constructor(problem: ProblemLike, options?: { cause?: unknown }) {
    super(problemMessage(problem), options);
    this.status = problem.status;
    this.problem = problem;
  }
}

/** The problem's sentence; "already decided" with its time in the reader's zone, as pages show it. */
export function problemMessage(problem: ProblemLike): string {
  if (problem.decision && problem.decidedBy && problem.decidedAt)
    return `Already ${problem.decision} by ${problem.decidedBy} at ${formatDateTime(problem.decidedAt)}.`;
  return problem.detail ?? problem.title ?? `Request failed with status ${problem.status}`;
}
