/**
 * Errors of the ASL engine. `StatesError` carries an ASL error name (AWS's, e.g. `States.Runtime`)
 * and cause text; it is what Retry/Catch match on and what ends an execution. `DefinitionError`
 * is a broken state machine, reported before anything runs.
 */
import type { Diagnostic } from "./types.ts";

/** A runtime failure with AWS's error name and cause, e.g. `States.Runtime`. */
export class StatesError extends Error {
  override name = "StatesError";
  constructor(
    /** The ASL error name (`States.Runtime`, `States.IntrinsicFailure`, or a user error). */
    readonly error: string,
    /** The cause text, as AWS words it where the corpus records one. */
    readonly causeText: string,
    options?: { cause?: unknown },
  ) {
    super(`${error}: ${causeText}`, options);
  }
}

/** A definition that cannot run; carries AWS-shaped diagnostics naming state and field. */
export class DefinitionError extends Error {
  override name = "DefinitionError";
  constructor(
    readonly diagnostics: Diagnostic[],
    options?: { cause?: unknown },
  ) {
    super(
      diagnostics
        .map((d) => `${d.code}: ${d.message}${d.location ? ` at ${d.location}` : ""}`)
        .join("\n"),
      options,
    );
  }
}
