/**
 * The WARNING codes AWS's ValidateStateMachineDefinition documents, with its wording and its
 * locations (API reference, "ValidateStateMachineDefinitionDiagnostic", and the severity WARNING
 * example of "ValidateStateMachineDefinition"):
 *
 * - NO_DOLLAR: a payload template field without `.$` whose value looks like a JSONPath or an
 *   intrinsic function, so it is passed as a literal string (location: the template field).
 * - NO_PATH: a field whose value looks like a path but whose name does not end with `Path`
 *   (Fail `Error`/`Cause`, Choice comparisons, Wait `Timestamp`).
 * - PASS_RESULT_IS_STATIC: a Pass state's `Result` uses a path, but Result is never evaluated.
 *
 * All three concern JSONPath states: JSONata states have no `.$` keys and no `...Path` fields.
 */
import type { Diagnostic, Json, JsonObject } from "../types.ts";
import { type DefinitionIndex, isObject, pointer, type StateRef } from "./walk.ts";

type Looks = "a JSONPath" | "an intrinsic function" | undefined;

/** What a literal string looks like: a path (`$`, `$.a`, `$[0]`, `$$.Execution.Id`) or `States.X(`. */
export function looksLike(v: Json | undefined): Looks {
  if (typeof v !== "string") return undefined;
  if (v === "$" || v === "$$" || /^\$\$?[.[]/.test(v)) return "a JSONPath";
  if (/^States\.[A-Za-z0-9]+\(/.test(v)) return "an intrinsic function";
  return undefined;
}

const TEMPLATE_FIELDS = ["Parameters", "ResultSelector", "ItemSelector", "Credentials"];

const PATH_FIELDS: Record<string, string[]> = {
  Fail: ["Error", "Cause"],
  Wait: ["Timestamp"],
};

/** Choice comparison operators that have a `...Path` twin and take a string. */
const STRING_COMPARISONS = new Set(
  ["String", "Timestamp"].flatMap((t) =>
    ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"].map(
      (op) => `${t}${op}`,
    ),
  ),
);

export function awsWarnings(index: DefinitionIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (code: string, location: string, message: string) =>
    out.push({ severity: "WARNING", code, message, location });
  for (const ref of index.states) {
    if (ref.language !== "JSONPath") continue;
    for (const field of TEMPLATE_FIELDS) {
      const at = pointer(ref.at, field);
      forEachTemplateField(ref.state[field], (key, value) => {
        const looks = looksLike(value);
        if (!key.endsWith(".$") && looks) {
          warn(
            "NO_DOLLAR",
            at,
            `The value of '${key}' looks like ${looks}. Instead of '${key}', use '${key}.$' to evaluate it as ${looks} at runtime.`,
          );
        }
      });
    }
    for (const field of PATH_FIELDS[ref.type] ?? []) noPath(ref.state, field, ref.at, warn);
    if (ref.type === "Choice" && Array.isArray(ref.state.Choices)) {
      ref.state.Choices.forEach((rule, i) => {
        choiceRule(rule, pointer(ref.at, "Choices", i), warn);
      });
    }
    if (ref.type === "Pass") passResult(ref, warn);
  }
  return out;
}

type Warn = (code: string, location: string, message: string) => void;

function noPath(obj: JsonObject, field: string, at: string, warn: Warn): void {
  const looks = looksLike(obj[field]);
  if (!looks) return;
  warn(
    "NO_PATH",
    pointer(at, field),
    `The value of '${field}' looks like ${looks}. Instead of '${field}', use '${field}Path' to evaluate it as a JSONPath at runtime.`,
  );
}

function choiceRule(rule: Json | undefined, at: string, warn: Warn): void {
  if (!isObject(rule)) return;
  for (const field of Object.keys(rule)) {
    if (STRING_COMPARISONS.has(field)) noPath(rule, field, at, warn);
  }
  for (const op of ["And", "Or"]) {
    const list = rule[op];
    if (!Array.isArray(list)) continue;
    list.forEach((r, i) => {
      choiceRule(r, pointer(at, op, i), warn);
    });
  }
  choiceRule(rule.Not, pointer(at, "Not"), warn);
}

/** Result is static (AWS "Pass workflow state"): `.$` keys and paths in it are never evaluated. */
function passResult(ref: StateRef, warn: Warn): void {
  const at = pointer(ref.at, "Result");
  const result = ref.state.Result;
  const looks = looksLike(result);
  if (looks) {
    warn(
      "PASS_RESULT_IS_STATIC",
      at,
      `The value of 'Result' will not evaluate as ${looks} at runtime. Instead of 'Result', use 'Parameters' (or 'InputPath') to evaluate it at runtime.`,
    );
  }
  forEachTemplateField(result, (key) => {
    if (key.endsWith(".$")) {
      warn(
        "PASS_RESULT_IS_STATIC",
        at,
        `The value of '${key}' will not evaluate as a JSONPath or Intrinsic Function at runtime. Instead of 'Result', use 'Parameters' to evaluate it as a JSONPath or Intrinsic Function at runtime.`,
      );
    }
  });
}

/** Every key/value of an object template, at any depth (objects inside arrays included). */
function forEachTemplateField(
  value: Json | undefined,
  visit: (key: string, value: Json) => void,
  depth = 0,
): void {
  if (depth > 64) return;
  if (Array.isArray(value)) {
    for (const v of value) forEachTemplateField(v, visit, depth + 1);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      visit(k, v);
      forEachTemplateField(v, visit, depth + 1);
    }
  }
}
