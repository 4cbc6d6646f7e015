/**
 * The dashboard's client of the approval API: Hono's `hc<ApiApp>`, so every path, parameter, body
 * and answer is typed by the server's own routes (types.ts). Same origin, the session cookie, and
 * the CSRF token from GET /api/session on every state-changing call; an answer that is not 2xx
 * becomes an `ApiError` carrying the server's problem document.
 */
import { type ClientResponse, hc } from "hono/client";
import type { ApiApp } from "../../../functions/api/app.ts";
import { ApiError, type ProblemLike } from "./errors.ts";
import type { ApprovalFilter, Decision, ExecutionStatus, Session } from "./types.ts";

let csrfToken: string | undefined;

/** Dispatched on `window` when an API call answers 401. */
export const UNAUTHORIZED_EVENT = "countersign:unauthorized";

/** `fetch` for the client: adds the session's headers, turns failures into `ApiError`. */
async function send(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  headers.set("accept", "application/json");
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers.set("x-csrf-token", csrfToken);
  const path = new URL(String(input), location.href).pathname;
  let response: Response;
  try {
    response = await fetch(input, { ...init, headers, credentials: "same-origin" });
  } catch (cause) {
    throw new ApiError(
      { status: 0, title: "Network error", detail: "Could not reach the server. Is it running?" },
      { cause },
    );
  }
  if (response.ok) return response;
  // A session that ends while a page is open (expiry, sign-out elsewhere) sends the app back to
  // the sign-in page instead of leaving every panel in an error state.
  if (response.status === 401 && path !== "/api/session")
    dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  const problem = await response
    .json()
    .then((data: unknown) => (typeof data === "object" && data !== null ? data : {}))
    .catch(() => ({}));
  throw new ApiError({
    ...(problem as Partial<ProblemLike>),
    status: response.status,
    title: (problem as Partial<ProblemLike>).title ?? response.statusText,
  });
}

const client = hc<ApiApp>("/", { fetch: send });

/** The JSON body of a successful answer (failures have already thrown in `send`). */
async function body<R extends ClientResponse<unknown, number, "json">>(
  response: Promise<R>,
): Promise<Awaited<ReturnType<R["json"]>>> {
  return (await response).json() as Awaited<ReturnType<R["json"]>>;
}

/** Executions are addressed by their ARN, which must travel as one path segment. */
const byArn = (arn: string) => ({ param: { executionArn: encodeURIComponent(arn) } });

/** The signed-in approver, or undefined when signed out (401). */
export async function getSession(): Promise<Session | undefined> {
  try {
    const session = await body(client.api.session.$get());
    csrfToken = session.csrfToken;
    return session;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      csrfToken = undefined;
      return undefined;
    }
    throw error;
  }
}

export const api = {
  config: () => body(client.api.config.$get()),
  requestMagicLink: (email: string) =>
    body(client.api.auth["magic-link"].$post({ json: { email } })),
  signOut: async () => {
    await client.api.auth["sign-out"].$post();
    csrfToken = undefined;
  },
  approvals: async (status: ApprovalFilter) =>
    (await body(client.api.approvals.$get({ query: { status } }))).items,
  decide: async (
    approvalId: string,
    decision: Decision["decision"],
    comment?: string,
    form?: Record<string, string | number>,
  ) =>
    (
      await body(
        client.api.approvals[":id"].decision.$post({
          param: { id: encodeURIComponent(approvalId) },
          json: { decision, ...(comment ? { comment } : {}), ...(form ? { form } : {}) },
        }),
      )
    ).approval,
  timeline: (approvalId: string) =>
    body(
      client.api.approvals[":id"].timeline.$get({ param: { id: encodeURIComponent(approvalId) } }),
    ),
  reassign: async (approvalId: string, from: string, to: string) =>
    (
      await body(
        client.api.approvals[":id"].reassign.$post({
          param: { id: encodeURIComponent(approvalId) },
          json: { from, to },
        }),
      )
    ).approval,
  delegation: async () => (await body(client.api.delegation.$get())).delegation,
  setDelegation: async (to: string, endsAt: string) =>
    (await body(client.api.delegation.$put({ json: { to, endsAt } }))).delegation,
  clearDelegation: async () => {
    await body(client.api.delegation.$delete());
  },
  executions: async (filter: { status?: ExecutionStatus | ""; q?: string }) =>
    (
      await body(
        client.api.executions.$get({
          query: {
            ...(filter.status ? { status: filter.status } : {}),
            ...(filter.q ? { q: filter.q } : {}),
          },
        }),
      )
    ).items,
  execution: (arn: string) => body(client.api.executions[":executionArn"].$get(byArn(arn))),
  history: async (arn: string) =>
    (await body(client.api.executions[":executionArn"].history.$get(byArn(arn)))).events,
  redrive: (arn: string) => body(client.api.executions[":executionArn"].redrive.$post(byArn(arn))),
  orders: async () => (await body(client.api.orders.$get({ query: {} }))).items,
  outbox: async () => (await body(client.api.outbox.$get())).items,
};
