/**
 * Turns the engine's thrown StatesErrors into failure outcomes. Runtime errors of the engine get
 * AWS's cause prefix naming the state and the event id at which it was entered.
 */
import { StatesError } from "../errors.ts";
import type { Outcome } from "../io.ts";
import { type Ctx, emit, type Frame } from "../snapshot.ts";

/** Converts a thrown StatesError into a failure outcome; rethrows anything else. */
export function failureOf(ctx: Ctx, frame: Frame, e: unknown): Outcome {
  if (!(e instanceof StatesError)) throw e;
  if (e.error === "States.DataLimitExceeded" || !e.error.startsWith("States.")) {
    return { kind: "fail", error: e.error, cause: e.causeText };
  }
  const cause = `An error occurred while executing the state '${frame.state.name}' (entered at the event id #${frame.enteredEventId}). ${e.causeText}`;
  if (e.uncaught) return { kind: "fail", error: e.error, cause, uncaught: true };
  if (e.error === "States.QueryEvaluationError") {
    // AWS records the failed expression as its own event before the state fails.
    emit(ctx, frame, "EvaluationFailed", "evaluationFailedEventDetails", {
      error: e.error,
      cause,
      state: frame.state.name,
    });
  }
  return { kind: "fail", error: e.error, cause };
}
