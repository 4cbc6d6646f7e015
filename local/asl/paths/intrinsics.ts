/**
 * The `States.*` intrinsic functions of JSONPath states: parsing an expression such as
 * `States.Format('Hi {}', $.name)` and evaluating it against a scope the engine supplies.
 * Follows AWS's "Intrinsic functions for JSONPath states in Step Functions"; failures raise
 * `States.IntrinsicFailure` with AWS's cause texts.
 */
import { StatesError } from "../errors.ts";
import type { Json } from "../types.ts";

/** What an intrinsic needs from the engine: path resolution and its deterministic PRNG. */
export interface IntrinsicScope {
  /** Resolves a path argument (`$.x`, `$$.Execution.Id`, `$var.field`) to its value. */
  resolvePath(path: string): Json;
  /** The engine's deterministic PRNG, uniform in [0, 1). */
  random(): number;
}

/** Whether `s` is an intrinsic function call such as `States.Array($.a)`. */
export function isIntrinsicCall(s: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(s) && s.trimEnd().endsWith(")");
}

/**
 * Evaluates an intrinsic function call.
 * @throws StatesError `States.IntrinsicFailure` with AWS's cause text.
 */
export function evaluateIntrinsic(expression: string, _scope: IntrinsicScope): Json {
  throw new StatesError("States.IntrinsicFailure", `Not implemented yet: ${expression}`);
}
