/**
 * Dashboard sign-in by magic link, scanner-safe like approval links: `GET /auth/magic?t=…` shows a
 * "Sign in" button, its `POST /auth/magic` uses the token once and sets the session cookie.
 * `GET /api/session` hands the CSRF token to the dashboard; `POST /api/auth/sign-out` ends it.
 */
import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import * as z from "zod";
import type { ApprovalService, SessionService } from "../../approvals/index.ts";
import { sameOriginForms } from "../middleware/same-origin.ts";
import {
  isLocalHost,
  requireCsrf,
  requireSession,
  SESSION_COOKIE,
  type SessionEnv,
} from "../middleware/session.ts";
import { signInPage } from "../pages/confirm.ts";
import { valid } from "../validation.ts";

const emailBody = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .pipe(z.email({ error: "must be an email address" })),
});
const token = z.object({
  t: z.string().min(1, { error: "is missing: open the link from your email" }).max(2048),
});

export function authRoutes(
  approvals: ApprovalService,
  sessions: SessionService,
  baseFromRequest: (url: string) => string,
) {
  return new Hono<SessionEnv>()
    .post("/api/auth/magic-link", valid("json", emailBody), async (c) => {
      await sessions.sendMagicLink(c.req.valid("json").email, baseFromRequest(c.req.url));
      return c.json({ sent: true }, 202);
    })
    .get("/auth/magic", valid("query", token), (c) => {
      const t = c.req.valid("query").t;
      const { email } = sessions.readMagicLink(t);
      return c.html(signInPage({ email, token: t }));
    })
    .post("/auth/magic", sameOriginForms(baseFromRequest), valid("form", token), async (c) => {
      const { cookie, session } = await sessions.signIn(c.req.valid("form").t);
      setCookie(c, SESSION_COOKIE, cookie, {
        httpOnly: true,
        sameSite: "Lax",
        secure: !isLocalHost(c),
        path: "/",
        maxAge: Math.max(
          0,
          Math.floor((Date.parse(session.expiresAt) - approvals.now.getTime()) / 1000),
        ),
      });
      return c.redirect("/", 303);
    })
    .get("/api/session", requireSession(sessions), (c) => {
      const session = c.get("session");
      return c.json({
        email: session.email,
        csrfToken: sessions.csrfToken(session),
        roles: sessions.roles(session.email),
      });
    })
    .post("/api/auth/sign-out", requireSession(sessions), requireCsrf(sessions), async (c) => {
      await sessions.signOut(c.get("session"));
      deleteCookie(c, SESSION_COOKIE, {
        path: "/",
        secure: !isLocalHost(c),
        httpOnly: true,
        sameSite: "Lax",
      });
      approvals.log.info("signed out", { email: c.get("session").email });
      return c.body(null, 204);
    });
}
