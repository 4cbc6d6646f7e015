/**
 * Definition checks reported the way AWS's ValidateStateMachineDefinition does: each diagnostic has
 * a severity, an AWS-style code (SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET,
 * UNREACHABLE_STATE, DUPLICATE_STATE_NAME, INVALID_JSON_DESCRIPTION, ...), a message that says what
 * to fix, and a JSON pointer naming the state and field (`/States/Charge/Retry/0/ErrorEquals`).
 * Our semantic checks run first; asl-validator's JSON schema backs them up.
 */
import type { CompileOptions, Diagnostic, Json, QueryLanguage } from "./types.ts";
import { Checker, describe, isObject } from "./validate/context.ts";
import { checkMachine } from "./validate/machine.ts";
import { schemaDiagnostics } from "./validate/schema.ts";

/**
 * Validates a state machine definition (an object, or its JSON text). An empty array, or only
 * WARNINGs, means it can run.
 */
export function validateDefinition(
  definition: unknown,
  options: CompileOptions = {},
): Diagnostic[] {
  let doc: unknown = definition;
  if (typeof definition === "string") {
    try {
      doc = JSON.parse(definition);
    } catch (error) {
      return [
        {
          severity: "ERROR",
          code: "INVALID_JSON_DESCRIPTION",
          message: `The definition is not valid JSON: ${(error as Error).message}.`,
          location: "",
        },
      ];
    }
  }
  if (!isObject(doc)) {
    return [
      {
        severity: "ERROR",
        code: "INVALID_JSON_DESCRIPTION",
        message: `The definition must be a JSON object with StartAt and States; found ${describe(doc as Json)}.`,
        location: "",
      },
    ];
  }
  const top = doc.QueryLanguage;
  const topLanguage: QueryLanguage = top === "JSONata" ? "JSONata" : "JSONPath";
  const checker = new Checker(options, topLanguage);
  checkMachine(checker, doc, "", topLanguage, true);
  const ours = checker.diagnostics;
  return [...ours, ...schemaDiagnostics(doc, ours)];
}
