/**
 * The Map state: runs ItemProcessor for each item (ItemsPath / Items, ItemSelector or legacy
 * Parameters with `$$.Map.Item`), up to MaxConcurrency at a time, with tolerated failures; a
 * DISTRIBUTED processor runs its iterations as child executions (MapRun* events, no iteration events
 * in this history). Per AWS's "Map workflow state".
 */
import { StatesError } from "../errors.ts";
import { completeState, jsonataScope, type Outcome, pathScope } from "../io.ts";
import { type Ctx, emit, type Frame } from "../snapshot.ts";
import type { Json, JsonObject } from "../types.ts";
import { newContainer, startContainer } from "./container.ts";
import { executeDistributedMap } from "./distributed/map-run.ts";
import { failureOf } from "./failure.ts";
import { mapInput, toleratedFailures } from "./map-input.ts";
import { readNumber } from "./numbers.ts";

export async function executeMap(ctx: Ctx, frame: Frame): Promise<Outcome> {
  const st = frame.state;
  frame.lastContainer = undefined; // a run of an earlier visit is not this one's
  frame.lastMapRun = undefined;
  if (st.distributedSpec) return executeDistributedMap(ctx, frame);
  const { input, items } = await mapInput(ctx, frame);
  const list = items as Json[];
  const maxConcurrency = await readNumber(ctx, frame, st.maxConcurrency, input, 0, "integer");
  // AWS checks MaxConcurrency before MapStateStarted and the tolerated failures after it.
  emit(ctx, frame, "MapStateStarted", "mapStateStartedEventDetails", { length: list.length });
  const { toleratedCount, toleratedPercentage } = await toleratedFailures(ctx, frame, input);
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
