/**
 * Refuses a form POST that a browser sent from another site, with Hono's CSRF middleware: the
 * request passes when `Sec-Fetch-Site` says `same-origin`, or when `Origin` is this request's origin
 * or the public base URL's (behind a CDN or a function URL the two differ). For the sign-in form a
 * forged POST would be login CSRF (signing the victim into the attacker's account with the
 * attacker's own link); for a decision it would decide with someone else's link. A client that
 * sends neither header (curl, a script) is refused too: our CLI names its origin.
 * Hono answers a bare 403; we turn it into our own error, so the page says what to do instead.
 */
import type { MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { ForbiddenOriginError } from "../../approvals/index.ts";

export function sameOriginForms(publicBase: (requestOrigin: string) => string): MiddlewareHandler {
  const check = csrf({
    origin: (origin, c) => {
      const own = new URL(c.req.url).origin;
      return origin === own || origin === new URL(publicBase(own)).origin;
    },
  });
  const passed = async () => {};
  return async (c, next) => {
    try {
      await check(c, passed);
    } catch (error) {
      if (!(error instanceof HTTPException) || error.status !== 403) throw error;
      throw new ForbiddenOriginError(
        "This form was sent from another site. Open the link from your email and submit it here.",
        { cause: error },
      );
    }
    await next();
  };
}
