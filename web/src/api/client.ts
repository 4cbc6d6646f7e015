/**
 * A small client for the approval API: same origin, the session cookie, and the CSRF token from
 * GET /api/session on every state-changing call.
 */
import { ApiError, type Problem } from "./errors.ts";
import type {
  Approval,
  Config,
  ExecutionDetail,
  ExecutionStatus,
  ExecutionSummary,
  HistoryEvent,
  Mail,
  Order,
  Session,
} from "./types.ts";

let csrfToken: string | undefined;

/** Dispatched on `window` when an API call answers 401. */
export const UNAUTHORIZED_EVENT = "countersign:unauthorized";

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (cause) {
    throw new ApiError(
      { status: 0, title: "Network error", detail: "Could not reach the server. Is it running?" },
      { cause },
    );
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    // A session that ends while a page is open (expiry, sign-out elsewhere) sends the app back to
    // the sign-in page instead of leaving every panel in an error state.
    if (response.status === 401 && path !== "/api/session")
      dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    const problem = (typeof data === "object" && data !== null ? data : {}) as Partial<Problem>;
    throw new ApiError({
      ...problem,
      status: response.status,
      title: problem.title ?? response.statusText,
    });
  }
  return data as T;
}

/** The signed-in approver, or undefined when signed out (401). */
export async function getSession(): Promise<Session | undefined> {
  try {
    const session = await request<Session>("GET", "/api/session");
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
  config: () => request<Config>("GET", "/api/config"),
  requestMagicLink: (email: string) =>
    request<{ sent: boolean }>("POST", "/api/auth/magic-link", { email }),
  signOut: async () => {
    await request<void>("POST", "/api/auth/sign-out");
    csrfToken = undefined;
  },
  approvals: (status: "PENDING" | "DECIDED" | "ALL") =>
    request<{ items: Approval[] }>("GET", `/api/approvals?status=${status}`).then((r) => r.items),
  decide: (approvalId: string, decision: "approve" | "reject", comment?: string) =>
    request<{ approval: Approval }>(
      "POST",
      `/api/approvals/${encodeURIComponent(approvalId)}/decision`,
      {
        decision,
        ...(comment ? { comment } : {}),
      },
    ).then((r) => r.approval),
  executions: (filter: { status?: ExecutionStatus | ""; q?: string }) => {
    const params = new URLSearchParams();
    if (filter.status) params.set("status", filter.status);
    if (filter.q) params.set("q", filter.q);
    const query = params.toString();
    return request<{ items: ExecutionSummary[] }>(
      "GET",
      `/api/executions${query ? `?${query}` : ""}`,
    ).then((r) => r.items);
  },
  execution: (arn: string) =>
    request<ExecutionDetail>("GET", `/api/executions/${encodeURIComponent(arn)}`),
  history: (arn: string) =>
    request<{ events: HistoryEvent[] }>(
      "GET",
      `/api/executions/${encodeURIComponent(arn)}/history`,
    ).then((r) => r.events),
  orders: () => request<{ items: Order[] }>("GET", "/api/orders").then((r) => r.items),
  outbox: () => request<{ items: Mail[] }>("GET", "/api/outbox").then((r) => r.items),
};
