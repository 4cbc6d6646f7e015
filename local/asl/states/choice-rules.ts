/**
 * Choice rules of JSONPath Choice states compiled into predicates: every comparison operator of
 * "Choice workflow state" in AWS's documentation, with And/Or/Not. A comparison whose operand has
 * the wrong type is simply false, as on AWS.
 */
import { StatesError } from "../errors.ts";
import { type CompiledPath, compilePath, type PathScope } from "../paths/jsonpath.ts";
import type { Json, JsonObject } from "../types.ts";

export type Predicate = (scope: PathScope) => boolean;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Epoch ms of an RFC 3339 timestamp, or NaN. */
export function parseTimestamp(v: unknown): number {
  if (typeof v !== "string" || !TIMESTAMP.test(v)) return Number.NaN;
  return Date.parse(v);
}

function wildcardMatch(value: string, pattern: string): boolean {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\" && i + 1 < pattern.length) {
      re += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    } else if (c === "*") re += "[\\s\\S]*";
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`${re}$`).test(value);
}

type Compare = (a: Json | undefined, b: Json | undefined) => boolean;

const str =
  (f: (a: string, b: string) => boolean): Compare =>
  (a, b) =>
    typeof a === "string" && typeof b === "string" && f(a, b);
const num =
  (f: (a: number, b: number) => boolean): Compare =>
  (a, b) =>
    typeof a === "number" && typeof b === "number" && f(a, b);
const ts =
  (f: (a: number, b: number) => boolean): Compare =>
  (a, b) => {
    const x = parseTimestamp(a);
    const y = parseTimestamp(b);
    return !Number.isNaN(x) && !Number.isNaN(y) && f(x, y);
  };

const COMPARISONS: Record<string, Compare> = {
  StringEquals: str((a, b) => a === b),
  StringLessThan: str((a, b) => a < b),
  StringGreaterThan: str((a, b) => a > b),
  StringLessThanEquals: str((a, b) => a <= b),
  StringGreaterThanEquals: str((a, b) => a >= b),
  StringMatches: str((a, b) => wildcardMatch(a, b)),
  NumericEquals: num((a, b) => a === b),
  NumericLessThan: num((a, b) => a < b),
  NumericGreaterThan: num((a, b) => a > b),
  NumericLessThanEquals: num((a, b) => a <= b),
  NumericGreaterThanEquals: num((a, b) => a >= b),
  BooleanEquals: (a, b) => typeof a === "boolean" && a === b,
  TimestampEquals: ts((a, b) => a === b),
  TimestampLessThan: ts((a, b) => a < b),
  TimestampGreaterThan: ts((a, b) => a > b),
  TimestampLessThanEquals: ts((a, b) => a <= b),
  TimestampGreaterThanEquals: ts((a, b) => a >= b),
};

const TYPE_TESTS: Record<string, (v: Json | undefined) => boolean> = {
  IsNull: (v) => v === null,
  IsPresent: (v) => v !== undefined,
  IsNumeric: (v) => typeof v === "number",
  IsString: (v) => typeof v === "string",
  IsBoolean: (v) => typeof v === "boolean",
  IsTimestamp: (v) => !Number.isNaN(parseTimestamp(v)),
};

/** Operator names a rule may use (for validation messages). */
export const CHOICE_OPERATORS = [
  ...Object.keys(COMPARISONS),
  ...Object.keys(COMPARISONS)
    .filter((k) => k !== "StringMatches")
    .map((k) => `${k}Path`),
  ...Object.keys(TYPE_TESTS),
];

function readVariable(path: CompiledPath, scope: PathScope): Json | undefined {
  return path.get(scope);
}

function missing(path: CompiledPath): never {
  throw new StatesError(
    "States.Runtime",
    `Invalid path '${path.source}': The choice state's condition path references an invalid value.`,
  );
}

/** Compiles a rule object (with or without Next). @throws Error naming the problem. */
export function compileRule(rule: JsonObject): Predicate {
  if (Array.isArray(rule.And)) {
    const parts = rule.And.map((r) => compileRule(r as JsonObject));
    return (s) => parts.every((p) => p(s));
  }
  if (Array.isArray(rule.Or)) {
    const parts = rule.Or.map((r) => compileRule(r as JsonObject));
    return (s) => parts.some((p) => p(s));
  }
  if (rule.Not && typeof rule.Not === "object") {
    const inner = compileRule(rule.Not as JsonObject);
    return (s) => !inner(s);
  }
  if (typeof rule.Variable !== "string") {
    throw new Error("a Choice rule needs Variable with a comparison operator, or And/Or/Not");
  }
  const variable = compilePath(rule.Variable);
  for (const [op, test] of Object.entries(TYPE_TESTS)) {
    if (op in rule) {
      const expected = rule[op];
      return (s) => {
        const v = readVariable(variable, s);
        if (v === undefined && op !== "IsPresent") return false === expected;
        return test(v) === expected;
      };
    }
  }
  for (const [op, cmp] of Object.entries(COMPARISONS)) {
    if (op in rule) {
      const operand = rule[op] as Json;
      return (s) => {
        const v = readVariable(variable, s);
        if (v === undefined) missing(variable);
        return cmp(v, operand);
      };
    }
    const pop = `${op}Path`;
    if (pop in rule && typeof rule[pop] === "string") {
      const other = compilePath(rule[pop] as string);
      return (s) => {
        const v = readVariable(variable, s);
        if (v === undefined) missing(variable);
        const w = readVariable(other, s);
        if (w === undefined) missing(other);
        return cmp(v, w);
      };
    }
  }
  throw new Error(`the Choice rule on '${rule.Variable}' has no known comparison operator`);
}
