/**
 * Refuses any request whose JSON or form body carries something that looks like a card number
 * (functions/shared/card-numbers.ts), before a route sees it: no comment, email or field of this
 * API is a place for one, and a refused request changes nothing and logs nothing of it. The
 * answer (400) names the field and says what to send instead, never the number.
 */
import type { MiddlewareHandler } from "hono";
import { ValidationError } from "../../approvals/index.ts";
import { CARD_NUMBER_REFUSAL, findCardNumber } from "../../shared/card-numbers.ts";

const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function noCardNumbers(): MiddlewareHandler {
  return async (c, next) => {
    if (WITH_BODY.has(c.req.method)) {
      const type = c.req.header("content-type") ?? "";
      // Parsed through Hono's request, which caches the body for the route's validator; a body
      // that does not parse is left for that validator to report.
      let body: unknown;
      if (/application\/json/i.test(type)) body = await c.req.json().catch(() => undefined);
      else if (/application\/x-www-form-urlencoded|multipart\/form-data/i.test(type))
        body = await c.req.parseBody({ all: true }).catch(() => undefined);
      const hit = body === undefined ? undefined : findCardNumber(body);
      if (hit)
        throw new ValidationError([{ field: hit.field || "body", message: CARD_NUMBER_REFUSAL }]);
    }
    await next();
  };
}
