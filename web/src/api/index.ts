/** The dashboard's view of the approval API. */
export { api, getSession } from "./client.ts";
export { ApiError, type ProblemLike } from "./errors.ts";
export type * from "./types.ts";
