/** Resolves numeric fields given literally, by `...Path` or by JSONata (TimeoutSeconds, MaxConcurrency, ...). */
import { StatesError } from "../errors.ts";
import { jsonataScope, pathScope } from "../io.ts";
import type { NumberSource } from "../model.ts";
import type { Ctx, Frame } from "../snapshot.ts";
import type { Json } from "../types.ts";

/** Reads the raw value of a number source (undefined when the path selects nothing). */
export async function readNumberSource(
  ctx: Ctx,
  frame: Frame,
  src: NumberSource,
  input: Json,
): Promise<Json | undefined> {
  if (src.kind === "literal") return src.value;
  if (src.kind === "path") return src.path.get(pathScope(ctx, frame, input));
  return src.expr.evaluate(jsonataScope(ctx, frame, frame.input));
}

/**
 * A numeric field: `integer` (MaxConcurrency, ToleratedFailureCount, TimeoutSeconds) or `float`
 * (ToleratedFailurePercentage); `fallback` when the state does not set it.
 */
export async function readNumber(
  ctx: Ctx,
  frame: Frame,
  src: NumberSource | undefined,
  input: Json,
  fallback: number,
  kind: "integer" | "float",
): Promise<number> {
  if (!src) return fallback;
  return checkedNumber(src, await readNumberSource(ctx, frame, src, input), kind);
}

/** The value a number source gave, if it is a number of `kind`; else AWS's States.Runtime. */
export function checkedNumber(
  src: NumberSource,
  v: Json | undefined,
  kind: "integer" | "float",
): number {
  if (typeof v !== "number" || (kind === "integer" && !Number.isInteger(v))) {
    const path = src.kind === "path" ? src.path.source : src.field;
    throw new StatesError(
      "States.Runtime",
      `The ${src.field} field refers to value "${typeof v === "string" ? v : JSON.stringify(v ?? null)}" which is not a valid ${kind}: ${path}`,
    );
  }
  return v;
}
