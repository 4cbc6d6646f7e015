/**
 * Refuses a request whose path is not valid percent-encoding (`/%`, `/approvals/%E0%A4%A`) with
 * 400, before any route sees it. Hono hands routes such a path undecoded, so without this a
 * malformed id would travel on as if it were a name and end as a confusing 404 (or, in code that
 * decodes it, a URIError and a 500).
 */
import type { MiddlewareHandler } from "hono";
import { ValidationError } from "../../approvals/index.ts";

/** Whether `path` decodes (every `%` starts a valid UTF-8 escape). */
export function isWellFormedPath(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export function wellFormedPaths(): MiddlewareHandler {
  return async (c, next) => {
    if (!isWellFormedPath(new URL(c.req.url).pathname)) {
      throw new ValidationError([
        { field: "path", message: "is not valid percent-encoding; check the link" },
      ]);
    }
    await next();
  };
}
