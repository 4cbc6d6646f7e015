/**
 * Checks of the expressions inside fields: JSONPath paths (via asl-path-validator), `.$` payload
 * templates and intrinsic calls (via our intrinsic parser), and `{% %}` JSONata expressions.
 */
import { validatePath } from "asl-path-validator";
import jsonata from "jsonata";
import { checkIntrinsic, isIntrinsicCall } from "../paths/intrinsics.ts";
import type { Json } from "../types.ts";
import { type Checker, isJsonataString, isObject, pointer } from "./context.ts";

export type PathKind = "path" | "reference" | "result";

/** asl-path-validator's AslPathContext values (its enum is not exported at run time). */
const CONTEXTS = {
  path: "path",
  reference: "reference_path",
  result: "result_path",
} as const satisfies Record<PathKind, string>;

/** Why a JSONPath is invalid, or undefined when it is valid. */
export function pathProblem(path: string, kind: PathKind): string | undefined {
  if (!path.startsWith("$")) return "a path must start with '$' (state input) or '$$' (context)";
  let result: ReturnType<typeof validatePath>;
  try {
    result = validatePath(path, CONTEXTS[kind] as Parameters<typeof validatePath>[1]);
  } catch {
    return "the path cannot be parsed";
  }
  if (result.isValid) return undefined;
  if (result.code === "parse_error") {
    try {
      const detail = JSON.parse(result.message ?? "{}") as {
        found?: string | null;
        location?: { start?: { offset?: number } };
      };
      const at = (detail.location?.start?.offset ?? 0) + 1;
      return detail.found == null
        ? `the path ends unexpectedly at character ${at}`
        : `unexpected '${detail.found}' at character ${at}`;
    } catch {
      return "the path cannot be parsed";
    }
  }
  if (result.code === "exp_has_non_reference_path_ops") {
    return "only simple paths ($.a.b, $.a[0]) are allowed here, without filters, wildcards or '..'";
  }
  if (result.code === "exp_has_functions") return "functions are not allowed in this path";
  if (result.code === "exp_has_variable") return "variables are not allowed in this path";
  return "the path is invalid";
}

/** Checks a field that holds a JSONPath (null allowed where AWS allows it). */
export function checkPathField(
  c: Checker,
  at: string,
  field: string,
  value: Json | undefined,
  kind: PathKind,
  allowNull = false,
): void {
  if (value === undefined || (value === null && allowNull)) return;
  if (typeof value !== "string") {
    c.schema(
      at,
      `The value for the field '${field}' must be a JSONPath string${allowNull ? " or null" : ""}.`,
    );
    return;
  }
  const problem = pathProblem(value, kind);
  if (problem) {
    c.schema(
      at,
      `The value for the field '${field}' must be a valid JSONPath: '${value}': ${problem}.`,
    );
  }
}

/** Checks a field that takes a path or an intrinsic function (`.$` values, ErrorPath, CausePath). */
export function checkPathOrIntrinsic(
  c: Checker,
  at: string,
  field: string,
  value: Json,
  /** Where AWS reports a bad intrinsic: the template object holding the field. */
  owner = at,
): void {
  if (typeof value !== "string") {
    c.schema(
      at,
      `The value for the field '${field}' must be a string holding a JSONPath or an intrinsic function call; to set a literal, drop the '.$' suffix.`,
    );
    return;
  }
  if (isIntrinsicCall(value) || value.startsWith("States.")) {
    // AWS reports one error for the field; the problems found become the hint.
    const problems = checkIntrinsic(value);
    if (problems.length > 0) {
      c.schema(
        owner,
        `The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call`,
        problems.join("; "),
      );
    }
    return;
  }
  const problem = pathProblem(value, "path");
  if (problem) {
    c.schema(
      at,
      `The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call: '${value}': ${problem}.`,
    );
  }
}

/** Walks a JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign). */
export function checkPayloadTemplate(c: Checker, at: string, value: Json): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkPayloadTemplate(c, pointer(at, i), v);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const here = pointer(at, key);
    if (key.endsWith(".$")) checkPathOrIntrinsic(c, here, key, v, at);
    else if (isJsonataString(v)) {
      c.warning(
        "JSONATA_IN_JSONPATH_STATE",
        here,
        `'${key}' holds a {% %} JSONata expression, but this state uses JSONPath, so it stays a literal string; set "QueryLanguage": "JSONata" on the state (and use Arguments/Output) to evaluate it.`,
      );
    } else checkPayloadTemplate(c, here, v);
  }
}

const VARIABLE_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** Checks the variable names an Assign block declares ("Passing data between states with variables"). */
export function checkAssignNames(c: Checker, at: string, assign: Json | undefined): void {
  if (assign === undefined) return;
  if (!isObject(assign)) {
    if (!isJsonataString(assign)) {
      c.schema(at, "Assign must be an object mapping variable names to values.");
    }
    return;
  }
  for (const key of Object.keys(assign)) {
    const name = key.endsWith(".$") ? key.slice(0, -2) : key;
    if (name === "states") {
      c.schema(pointer(at, key), "'states' is reserved for $states; choose another variable name.");
    } else if (name.length > 80 || !VARIABLE_NAME.test(name)) {
      c.schema(
        pointer(at, key),
        `'${name}' is not a valid variable name; use at most 80 letters, digits and underscores, not starting with a digit.`,
      );
    }
  }
}

/** Why a JSONata expression does not compile, or undefined when it does. */
export function jsonataProblem(source: string): string | undefined {
  const body = source.slice(2, -2);
  if (body.trim() === "") return "the expression between {% and %} is empty";
  try {
    jsonata(body);
  } catch (error) {
    const e = error as { message?: string; position?: number; token?: string };
    return `${e.message ?? String(error)}${e.position !== undefined ? ` (at character ${e.position})` : ""}`;
  }
  // AWS's JSONata has no $eval ("Transforming data with JSONata": use $parse instead).
  if (/\$eval\s*\(/.test(body)) return "$eval is not available in Step Functions; use $parse";
  return undefined;
}

/** Checks every `{% %}` string inside a JSONata field's value. */
export function checkJsonataValue(
  c: Checker,
  at: string,
  field: string,
  value: Json | undefined,
): void {
  if (value === undefined) return;
  if (typeof value === "string") {
    const text: string = value;
    if (text.startsWith("{%") && text.endsWith("%}")) {
      const problem = jsonataProblem(value);
      if (problem) {
        c.schema(at, `The JSONata expression in the field '${field}' is invalid: ${problem}.`);
      }
    } else if (text.trimStart().startsWith("{%") !== text.trimEnd().endsWith("%}")) {
      c.warning(
        "JSONATA_DELIMITERS",
        at,
        `The value of '${field}' has only one of the '{%' and '%}' delimiters, so it is a literal string; write "{% expression %}" with nothing outside the delimiters to evaluate it.`,
      );
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkJsonataValue(c, pointer(at, i), field, v);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith(".$") && field !== "Assign") {
        c.warning(
          "JSONPATH_SUFFIX_IN_JSONATA_STATE",
          pointer(at, k),
          `The key '${k}' ends in '.$', which has no meaning in a JSONata state: the key keeps the suffix and its value stays literal; drop '.$' and write the value as "{% expression %}".`,
        );
      }
      checkJsonataValue(c, pointer(at, k), field, v);
    }
  }
}

/** Checks a numeric field that may instead be a JSONata expression in JSONata states. */
export function checkNumberField(
  c: Checker,
  at: string,
  field: string,
  value: Json | undefined,
  jsonataAllowed: boolean,
  rule: { min: number; integer?: boolean; max?: number; exclusiveMin?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  if (jsonataAllowed && isJsonataString(value)) {
    checkJsonataValue(c, at, field, value);
    return undefined;
  }
  if (
    typeof value === "number" &&
    rule.max !== undefined &&
    value > rule.max &&
    (!rule.integer || Number.isInteger(value))
  ) {
    // AWS's own words for this one (CreateStateMachine, e.g. TimeoutSeconds over 99999999).
    c.schema(at, `Maximum value is ${rule.max}`);
    return undefined;
  }
  const bounds = `${rule.exclusiveMin ? "greater than" : "at least"} ${rule.min}${rule.max !== undefined ? ` and at most ${rule.max}` : ""}`;
  const kind = rule.integer ? "an integer" : "a number";
  if (
    typeof value !== "number" ||
    (rule.integer && !Number.isInteger(value)) ||
    (rule.exclusiveMin ? value <= rule.min : value < rule.min) ||
    (rule.max !== undefined && value > rule.max)
  ) {
    c.schema(
      at,
      `The value for the field '${field}' must be ${kind} ${bounds}${jsonataAllowed ? " (or a {% %} expression)" : ""}; found ${JSON.stringify(value)}.`,
    );
    return undefined;
  }
  return value;
}
