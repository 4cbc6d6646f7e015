/**
 * Session, role and CSRF guards for the dashboard API. `requireSession` puts the signed-in session
 * on the context (401 otherwise); `requireOperator` lets only operators on (403 otherwise: an
 * approver sees their own requests, not the shop's orders); `requireCsrf` checks the
 * `x-csrf-token` header against the session (403 otherwise) and must follow `requireSession` on
 * every state-changing route.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import {
  CsrfError,
  OperatorsOnlyError,
  type Session,
  type SessionService,
  UnauthenticatedError,
} from "../../approvals/index.ts";

export const SESSION_COOKIE = "cs_session";

export type SessionEnv = { Variables: { session: Session } };

export function requireSession(sessions: SessionService): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    const session = await sessions.fromCookie(getCookie(c, SESSION_COOKIE));
    if (!session)
      throw new UnauthenticatedError(
        "Sign in with the link we email you (POST /api/auth/magic-link).",
      );
    c.set("session", session);
    await next();
  };
}

/** After `requireSession`: operators only (Settings.operators, COUNTERSIGN_OPERATORS on AWS). */
export function requireOperator(sessions: SessionService): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    if (!sessions.roles(c.get("session").email).includes("operator")) {
      throw new OperatorsOnlyError(
        "Orders and executions are shown to operators only: ask whoever deploys Countersign to add your address to COUNTERSIGN_OPERATORS.",
      );
    }
    await next();
  };
}

export function requireCsrf(sessions: SessionService): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    if (!sessions.checkCsrf(c.get("session"), c.req.header("x-csrf-token"))) {
      throw new CsrfError("Send the x-csrf-token header with the value from GET /api/session.");
    }
    await next();
  };
}

/** Secure cookies everywhere except plain-HTTP development on loopback. */
export function isLocalHost(c: Context): boolean {
  const host = new URL(c.req.url).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
}
