/**
 * Choice state checks, per AWS's "Choice workflow state": JSONPath rules need a Variable and exactly
 * one comparison operator (or And/Or/Not); JSONata rules need a Condition; top-level rules need a
 * Next naming a state; nested rules have no Next.
 */
import type { Json, JsonObject } from "../types.ts";
import {
  type Checker,
  describe,
  isJsonataString,
  isObject,
  pointer,
  type StateScope,
} from "./context.ts";
import { checkJsonataValue, checkPathField, checkPayloadTemplate } from "./expressions.ts";

const VALUE_TYPE: Record<string, "string" | "number" | "boolean" | "timestamp"> = {};
for (const op of ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"]) {
  VALUE_TYPE[`String${op}`] = "string";
  VALUE_TYPE[`Numeric${op}`] = "number";
  VALUE_TYPE[`Timestamp${op}`] = "timestamp";
}
VALUE_TYPE.StringMatches = "string";
VALUE_TYPE.BooleanEquals = "boolean";
for (const op of [
  "IsArray",
  "IsBoolean",
  "IsNull",
  "IsNumeric",
  "IsPresent",
  "IsString",
  "IsTimestamp",
]) {
  VALUE_TYPE[op] = "boolean";
}

/** Every comparison operator AWS accepts, including the `...Path` forms. */
export const COMPARISON_OPERATORS: ReadonlySet<string> = new Set([
  ...Object.keys(VALUE_TYPE),
  ...Object.keys(VALUE_TYPE)
    .filter((k) => !k.startsWith("Is") && k !== "StringMatches")
    .map((k) => `${k}Path`),
]);

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(
        cur + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = cur;
    }
  }
  return row[b.length] as number;
}

function closestOperator(key: string): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const op of COMPARISON_OPERATORS) {
    const d = distance(key.toLowerCase(), op.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = op;
    }
  }
  return best;
}

function checkJsonPathRule(c: Checker, rule: JsonObject, at: string, topLevel: boolean): void {
  const logical = ["And", "Or", "Not"].filter((k) => k in rule);
  const operators = Object.keys(rule).filter((k) => COMPARISON_OPERATORS.has(k));
  const allowed = new Set(["Variable", "Comment", "And", "Or", "Not", ...operators]);
  if (topLevel) for (const k of ["Next", "Assign"]) allowed.add(k);
  for (const key of Object.keys(rule)) {
    if (allowed.has(key)) continue;
    const near = closestOperator(key);
    if (key === "Next" && !topLevel) {
      c.schema(
        pointer(at, key),
        "Rules nested in And, Or or Not must not have a Next; put Next on the top-level rule.",
      );
    } else if (key === "Condition" || key === "Output") {
      c.schema(
        pointer(at, key),
        `Field '${key}' is only supported in JSONata Choice rules; set "QueryLanguage": "JSONata" on the state or use Variable with a comparison operator.`,
      );
    } else {
      c.schema(
        pointer(at, key),
        `'${key}' is not a valid comparison operator${near ? `; did you mean '${near}'?` : "; use one such as StringEquals, NumericGreaterThan, BooleanEquals, IsPresent, or And/Or/Not"}.`,
      );
    }
  }
  if (logical.length + operators.length !== 1) {
    if (logical.length + operators.length === 0) {
      c.schema(
        at,
        "A Choice rule needs exactly one comparison operator (e.g. StringEquals) or one of And, Or, Not.",
      );
    } else {
      c.schema(
        at,
        `A Choice rule must have exactly one comparison operator or And/Or/Not; found ${[...logical, ...operators].join(", ")}.`,
      );
    }
  }
  if (topLevel) {
    if (rule.Next === undefined)
      c.schema(
        pointer(at, "Next"),
        "These fields are required: [Next]. Name the state to go to when this rule matches.",
      );
    if (rule.Assign !== undefined) checkPayloadTemplate(c, pointer(at, "Assign"), rule.Assign);
  }
  for (const op of logical) {
    const v = rule[op] as Json;
    if (op === "Not") {
      if (!isObject(v)) c.schema(pointer(at, op), "Not takes one Choice rule object.");
      else checkJsonPathRule(c, v, pointer(at, op), false);
    } else if (!Array.isArray(v) || v.length === 0) {
      c.schema(pointer(at, op), `${op} takes a non-empty array of Choice rules.`);
    } else {
      v.forEach((r, i) => {
        if (isObject(r)) checkJsonPathRule(c, r, pointer(at, op, i), false);
        else
          c.schema(
            pointer(at, op, i),
            `Each rule in ${op} must be an object; found ${describe(r)}.`,
          );
      });
    }
  }
  if (operators.length === 1) {
    const op = operators[0] as string;
    if (rule.Variable === undefined) {
      c.schema(
        pointer(at, "Variable"),
        `These fields are required: [Variable]. Say which input value ${op} compares, e.g. "$.status".`,
      );
    } else {
      checkPathField(c, pointer(at, "Variable"), "Variable", rule.Variable, "path");
    }
    const value = rule[op] as Json;
    if (op.endsWith("Path")) {
      checkPathField(c, pointer(at, op), op, value, "path");
      return;
    }
    const want = VALUE_TYPE[op];
    const ok =
      want === "timestamp"
        ? typeof value === "string" && ISO_TIMESTAMP.test(value)
        : typeof value === want;
    if (!ok) {
      c.schema(
        pointer(at, op),
        want === "timestamp"
          ? `${op} needs an ISO 8601 timestamp such as "2026-01-01T00:00:00Z"; found ${describe(value)}.`
          : `${op} needs a ${want} value; found ${describe(value)}.`,
      );
    }
  } else if (rule.Variable !== undefined && logical.length > 0) {
    c.schema(
      pointer(at, "Variable"),
      `A rule with ${logical[0]} must not have a Variable; put Variable on the nested rules.`,
    );
  }
}

function checkJsonataRule(c: Checker, rule: JsonObject, at: string): void {
  for (const key of Object.keys(rule)) {
    if (["Condition", "Next", "Comment", "Assign", "Output"].includes(key)) continue;
    c.schema(
      pointer(at, key),
      key === "Variable" || COMPARISON_OPERATORS.has(key) || ["And", "Or", "Not"].includes(key)
        ? `Field '${key}' is only supported in JSONPath Choice rules; in JSONata write a Condition such as "{% $states.input.status = 'ok' %}".`
        : `Field '${key}' is not supported in a JSONata Choice rule; use Condition, Next, Assign, Output or Comment.`,
    );
  }
  if (rule.Condition === undefined) {
    c.schema(
      pointer(at, "Condition"),
      'These fields are required: [Condition]. Write a boolean JSONata expression such as "{% $states.input.total > 100 %}".',
    );
  } else if (typeof rule.Condition !== "boolean" && !isJsonataString(rule.Condition)) {
    c.schema(
      pointer(at, "Condition"),
      `Condition must be a {% %} JSONata expression or a boolean; found ${describe(rule.Condition)}.`,
    );
  } else {
    checkJsonataValue(c, pointer(at, "Condition"), "Condition", rule.Condition);
  }
  if (rule.Next === undefined)
    c.schema(
      pointer(at, "Next"),
      "These fields are required: [Next]. Name the state to go to when this rule matches.",
    );
  checkJsonataValue(c, pointer(at, "Assign"), "Assign", rule.Assign);
  checkJsonataValue(c, pointer(at, "Output"), "Output", rule.Output);
}

/** Checks Choices and Default; returns nothing (transitions are checked by the machine walk). */
export function checkChoice(s: StateScope): void {
  const { state, at, checker: c } = s;
  const choices = state.Choices;
  if (choices === undefined) {
    c.schema(
      pointer(at, "Choices"),
      "These fields are required: [Choices]. A Choice state needs a non-empty array of rules.",
    );
    return;
  }
  if (!Array.isArray(choices) || choices.length === 0) {
    c.schema(pointer(at, "Choices"), "Choices must be a non-empty array of Choice rules.");
    return;
  }
  choices.forEach((rule, i) => {
    const here = pointer(at, "Choices", i);
    if (!isObject(rule))
      c.schema(here, `Each Choice rule must be an object; found ${describe(rule)}.`);
    else if (s.language === "JSONata") checkJsonataRule(c, rule, here);
    else checkJsonPathRule(c, rule, here, true);
  });
  if (state.Default !== undefined && typeof state.Default !== "string") {
    c.schema(pointer(at, "Default"), "Default must be the name of a state.");
  }
}
