/**
 * Refuses a form POST that a browser sent from another site. Browsers name the sending page's
 * origin on every cross-site POST, so an `Origin` that is neither this request's origin nor the
 * public base URL's means another site submitted the form: for the sign-in form that would be
 * login CSRF (signing the victim into the attacker's account with the attacker's own link). A
 * request without `Origin` comes from a non-browser client and is left to the route's own checks.
 */
import type { MiddlewareHandler } from "hono";
import { ForbiddenOriginError } from "../../approvals/index.ts";

export function sameOriginForms(publicBase: (requestOrigin: string) => string): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin !== undefined) {
      const own = new URL(c.req.url).origin;
      if (origin !== own && origin !== new URL(publicBase(own)).origin) {
        throw new ForbiddenOriginError(
          "This form was sent from another site. Open the link from your email and submit it here.",
        );
      }
    }
    await next();
  };
}
