/**
 * Security headers on every response: a CSP that allows nothing but our inline stylesheet and
 * same-origin forms, no framing, no referrer (links carry signatures), and no caching of pages or
 * API answers that hold personal data.
 */
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { STYLE_HASH } from "../pages/layout.ts";

export function security(): MiddlewareHandler[] {
  return [
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: [STYLE_HASH],
        imgSrc: ["'self'", "data:"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: "no-referrer",
      xFrameOptions: "DENY",
      crossOriginResourcePolicy: "same-origin",
    }),
    async (c, next) => {
      await next();
      c.header("Cache-Control", "no-store");
    },
  ];
}
