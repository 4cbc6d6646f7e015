/**
 * Security headers on every response: a CSP that allows nothing but our inline stylesheet, one
 * inline script (times in the reader's zone, pages/times.ts) and same-origin forms, no framing, no
 * referrer to other sites (links carry signatures), and no caching of pages or API answers that
 * hold personal data.
 *
 * `same-origin` rather than `no-referrer`: under `no-referrer` a browser sends `Origin: null` with
 * our own pages' form POSTs, which would leave the sign-in form's origin check
 * (`same-origin.ts`) unable to tell our page from a forged one; `same-origin` still sends nothing
 * to any other site.
 */
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { SCRIPT_HASH, STYLE_HASH } from "../pages/layout.ts";

export function security(): MiddlewareHandler[] {
  return [
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: [STYLE_HASH],
        // One inline script: times in the reader's zone (pages/times.ts).
        scriptSrc: [SCRIPT_HASH],
        imgSrc: ["'self'", "data:"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: "same-origin",
      xFrameOptions: "DENY",
      crossOriginResourcePolicy: "same-origin",
    }),
    async (c, next) => {
      await next();
      c.header("Cache-Control", "no-store");
    },
  ];
}
