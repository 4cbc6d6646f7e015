/**
 * zod validation through `@hono/zod-validator`, with one hook: a failure throws `ValidationError`
 * naming each field, and `onError` turns it into a 400 (problem+json or an HTML page).
 */
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type * as z from "zod";
import { ValidationError } from "../approvals/index.ts";

/** Validates `target` against `schema`; bad input → 400 naming the field. */
export function valid<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new ValidationError(
        result.error.issues.map((issue) => ({
          field: issue.path.length
            ? issue.path.map(String).join(".")
            : target === "json"
              ? "body"
              : target,
          message: issue.message,
        })),
      );
    }
  });
}
