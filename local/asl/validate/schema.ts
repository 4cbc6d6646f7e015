/**
 * asl-validator's JSON-schema pass, used as a backstop behind our own checks: its findings are
 * reported only where our checks found nothing in the same state, and a few of its rules that AWS
 * does not enforce (seen in the AWS-recorded corpus) are dropped.
 */
import { createRequire } from "node:module";
import type { Diagnostic, Json } from "../types.ts";

interface SchemaError {
  "Error code"?: string;
  Message?: string;
  schemaError?: { instancePath: string; schemaPath: string };
}

type AslValidator = (
  definition: unknown,
  options: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errors: unknown[] };

// asl-validator is CommonJS without type declarations.
const aslValidator = createRequire(import.meta.url)("asl-validator") as AslValidator;

/** Fields whose values asl-validator's schema constrains more tightly than AWS does. */
const LOOSER_ON_AWS = /\/(Output|Condition|ToleratedFailurePercentage|Type)$/;

export function schemaDiagnostics(definition: Json, covered: Diagnostic[]): Diagnostic[] {
  let result: { isValid: boolean; errors: unknown[] };
  try {
    // asl-validator writes QueryLanguage into the states it is given, so it gets a copy.
    result = aslValidator(structuredClone(definition) as never, {
      checkPaths: false,
      checkArn: false,
    });
  } catch {
    return [];
  }
  if (result.isValid) return [];
  const out: Diagnostic[] = [];
  for (const raw of result.errors as SchemaError[]) {
    const location = raw.schemaError?.instancePath ?? "";
    if (raw["Error code"] !== "SCHEMA_VALIDATION_FAILED") continue;
    if (LOOSER_ON_AWS.test(location)) continue;
    const state = location.match(/^(.*\/States\/[^/]+)/)?.[1] ?? location;
    if (covered.some((d) => d.location?.startsWith(state))) continue;
    out.push({
      severity: "ERROR",
      code: "SCHEMA_VALIDATION_FAILED",
      message: `${raw.Message ?? "The definition does not match the ASL schema"}; check this field against the Amazon States Language specification.`,
      location,
    });
  }
  return out;
}
