/**
 * What an inline and a distributed Map read before they start: the effective input (InputPath),
 * the items (ItemsPath or JSONata `Items`; none when an ItemReader brings them from S3) and the
 * tolerated failures — with AWS's errors for each.
 */
import { StatesError } from "../errors.ts";
import { jsonataScope, pathScope } from "../io.ts";
import { normalisedPath } from "../paths/jsonpath.ts";
import type { Ctx, Frame } from "../snapshot.ts";
import type { Json } from "../types.ts";
import { readNumber } from "./numbers.ts";

/**
 * The Map's effective input and its items. With `fromReader` the items come from S3 and AWS
 * ignores ItemsPath (recorded): `items` is then undefined.
 */
export async function mapInput(
  ctx: Ctx,
  frame: Frame,
  fromReader = false,
): Promise<{ input: Json; items: Json[] | undefined }> {
  const st = frame.state;
  let input: Json = frame.input;
  let items: Json | undefined;
  if (st.ql === "JSONPath") {
    if (st.inputPath === null) input = {};
    else if (st.inputPath) {
      const v = st.inputPath.get(pathScope(ctx, frame, frame.input));
      if (v === undefined) {
        throw new StatesError(
          "States.Runtime",
          `Invalid path '${st.inputPath.source}' : No results for path: ${normalisedPath(st.inputPath)}`,
        );
      }
      input = v;
    }
    if (fromReader) return { input, items: undefined };
    items = st.itemsPath ? st.itemsPath.get(pathScope(ctx, frame, input)) : input;
    if (items === undefined && st.itemsPath) {
      throw new StatesError(
        "States.Runtime",
        `Invalid path '${st.itemsPath.source}' : No results for path: ${normalisedPath(st.itemsPath)}`,
      );
    }
  } else {
    if (fromReader) return { input, items: undefined };
    items = st.items ? await st.items.evaluate(jsonataScope(ctx, frame, frame.input)) : frame.input;
  }
  if (!Array.isArray(items)) {
    throw new StatesError(
      st.ql === "JSONata" ? "States.QueryEvaluationError" : "States.Runtime",
      `Map state input must be an array but was: ${JSON.stringify(items ?? null)}`,
    );
  }
  return { input, items };
}

/** ToleratedFailureCount and ToleratedFailurePercentage (-1 when not set), checked as AWS does. */
export async function toleratedFailures(
  ctx: Ctx,
  frame: Frame,
  input: Json,
): Promise<{ toleratedCount: number; toleratedPercentage: number }> {
  const st = frame.state;
  const toleratedCount = st.toleratedCount
    ? await readNumber(ctx, frame, st.toleratedCount, input, -1, "integer")
    : -1;
  if (st.toleratedCount && toleratedCount < 0) {
    throw new StatesError("States.Runtime", "ToleratedFailureCount cannot be negative.");
  }
  const toleratedPercentage = st.toleratedPercentage
    ? await readNumber(ctx, frame, st.toleratedPercentage, input, -1, "float")
    : -1;
  if (st.toleratedPercentage && (toleratedPercentage < 0 || toleratedPercentage > 100)) {
    throw new StatesError(
      "States.Runtime",
      "ToleratedFailurePercentage must be between 0 and 100.",
    );
  }
  return { toleratedCount, toleratedPercentage };
}
