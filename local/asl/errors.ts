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
    options?: { cause?: unknown; uncaught?: boolean },
  ) {
    super(`${error}: ${causeText}`, options);
    if (options?.uncaught) this.uncaught = true;
  }
  /** Raised after Retry and Catch had their turn (OutputPath): it ends the execution. */
  readonly uncaught?: true;
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
        .map(
          (d) =>
            `${d.code}: ${d.message}${d.location ? ` at ${d.location}` : ""}${d.hint ? ` (${d.hint})` : ""}`,
        )
        .join("\n"),
      options,
    );
  }

  /** The diagnostics in AWS's words alone (no hints), as the API answers InvalidDefinition. */
  get awsText(): string {
    return this.diagnostics
      .map((d) => `${d.code}: ${d.message}${d.location ? ` at ${d.location}` : ""}`)
      .join("\n");
  }
}
