/**
 * The Map state: runs ItemProcessor for each item (ItemsPath / Items, ItemSelector or legacy
 * Parameters with `$$.Map.Item`), up to MaxConcurrency at a time, with tolerated failures; a
 * DISTRIBUTED processor runs its iterations as child executions (MapRun* events, no iteration events
 * in this history). Per AWS's "Map workflow state".
 */
import { StatesError } from "../errors.ts";
import { completeState, jsonataScope, type Outcome, pathScope } from "../io.ts";
import { normalisedPath } from "../paths/jsonpath.ts";
import { type Ctx, emit, type Frame } from "../snapshot.ts";
import type { Json, JsonObject } from "../types.ts";
import { newContainer, startContainer } from "./container.ts";
import { failureOf } from "./failure.ts";
import { readNumber } from "./numbers.ts";

export async function executeMap(ctx: Ctx, frame: Frame): Promise<Outcome> {
  const st = frame.state;
  frame.lastContainer = undefined; // a run of an earlier visit is not this one's
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
    items = st.itemsPath ? st.itemsPath.get(pathScope(ctx, frame, input)) : input;
    if (items === undefined && st.itemsPath) {
      throw new StatesError(
        "States.Runtime",
        `Invalid path '${st.itemsPath.source}' : No results for path: ${normalisedPath(st.itemsPath)}`,
      );
    }
  } else {
    items = st.items ? await st.items.evaluate(jsonataScope(ctx, frame, frame.input)) : frame.input;
  }
  if (!Array.isArray(items)) {
    throw new StatesError(
      st.ql === "JSONata" ? "States.QueryEvaluationError" : "States.Runtime",
      `Map state input must be an array but was: ${JSON.stringify(items ?? null)}`,
    );
  }
  const list = items;
  const maxConcurrency = await readNumber(ctx, frame, st.maxConcurrency, input, 0, "integer");
  // AWS checks MaxConcurrency before MapStateStarted and the tolerated failures after it.
  emit(ctx, frame, "MapStateStarted", "mapStateStartedEventDetails", { length: list.length });
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
  const distributed = st.distributed === true;
  const mapRunArn = `${ctx.s.exec.arn.replace(":execution:", ":mapRun:")}/${st.name}:${frame.enteredEventId}`;
  if (distributed) emit(ctx, frame, "MapRunStarted", "mapRunStartedEventDetails", { mapRunArn });
  const c = newContainer("map", frame, list.length, {
    maxConcurrency,
    toleratedCount,
    toleratedPercentage,
  });
  const processor = st.processor;
  if (!processor) throw new StatesError("States.Runtime", "Map state has no ItemProcessor");
  return startContainer(ctx, c, {
    graphFor: () => processor,
    inputFor: (now, i) => {
      const value = list[i] as Json;
      const mapContext: JsonObject = { Map: { Item: { Index: i, Value: value } } };
      if (st.itemSelector)
        return st.itemSelector.evaluate(pathScope(now, frame, input, mapContext));
      if (st.itemSelectorJsonata) {
        return st.itemSelectorJsonata.evaluate(
          jsonataScope(now, frame, frame.input, { context: mapContext }),
        );
      }
      return value;
    },
    succeed: async (now, results) => {
      if (distributed)
        emit(now, frame, "MapRunSucceeded", "mapRunSucceededEventDetails", { mapRunArn });
      emit(now, frame, "MapStateSucceeded");
      try {
        return await completeState(now, frame, st, results);
      } catch (e) {
        return failureOf(now, frame, e);
      }
    },
    fail: (now, error, cause) => {
      if (distributed) emit(now, frame, "MapRunFailed", "mapRunFailedEventDetails", { mapRunArn });
      if (distributed && (toleratedCount >= 0 || toleratedPercentage >= 0)) {
        return {
          kind: "fail",
          error: "States.ExceedToleratedFailureThreshold",
          cause: "The specified tolerated failure threshold was exceeded",
        };
      }
      const out: Outcome = { kind: "fail" };
      if (error !== undefined) out.error = error;
      if (cause !== undefined) out.cause = cause;
      return out;
    },
  });
}
