/**
 * Turns the engine's thrown StatesErrors into failure outcomes. Runtime errors of the engine get
 * AWS's cause prefix naming the state and the event id at which it was entered.
 */
import { StatesError } from "../errors.ts";
import type { Outcome } from "../io.ts";
import type { Frame } from "../runtime.ts";

/** Converts a thrown StatesError into a failure outcome; rethrows anything else. */
export function failureOf(frame: Frame, e: unknown): Outcome {
  if (!(e instanceof StatesError)) throw e;
  if (e.error === "States.DataLimitExceeded" || !e.error.startsWith("States.")) {
    return { kind: "fail", error: e.error, cause: e.causeText };
  }
  return {
    kind: "fail",
    error: e.error,
    cause: `An error occurred while executing the state '${frame.state.name}' (entered at the event id #${frame.enteredEventId}). ${e.causeText}`,
  };
}
