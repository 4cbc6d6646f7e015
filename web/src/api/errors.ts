/** Errors of the API client. */

/** An RFC 9457 problem document, as the approval API sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
}

/** A response that was not 2xx; carries the problem document when the server sent one. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem, options?: { cause?: unknown }) {
    super(
      problem.detail ?? problem.title ?? `Request failed with status ${problem.status}`,
      options,
    );
    this.status = problem.status;
    this.problem = problem;
  }
}
