/**
 * JSONata for JSONata-mode states: `{% expr %}` strings inside Arguments, Output, Assign,
 * Condition, Items, ItemSelector and the rest, compiled once. Evaluation binds `$states` (input,
 * context, result, errorOutput), the variables in scope, and AWS's extra functions (`$partition`,
 * `$range`, `$hash`, `$random`, `$uuid`, `$parse`) with randomness from the engine's PRNG.
 */
import { createHash } from "node:crypto";
import jsonata from "jsonata";
import { StatesError } from "../errors.ts";
import type { Json, JsonObject } from "../types.ts";

/** What an expression sees. */
export interface JsonataScope {
  input: Json;
  context(): Json;
  vars: Record<string, Json>;
  result?: Json;
  errorOutput?: Json;
  random(): number;
  uuid(): string;
}

export type JsonataFn = (scope: JsonataScope) => Json | Promise<Json>;

export interface CompiledJsonata {
  dynamic: boolean;
  evaluate: JsonataFn;
}

/** A JSONata syntax error found while compiling, with the offending text. */
export class JsonataSyntaxError extends Error {
  override name = "JsonataSyntaxError";
}

const EXPR = /^\{%([\s\S]*)%\}$/;

/** Whether a string is a JSONata expression `{% ... %}`. */
export function isJsonataExpression(s: unknown): s is string {
  return typeof s === "string" && EXPR.test(s);
}

// AWS's extra JSONata functions that need no engine state, shared by every evaluation.
const STATIC_FUNCTIONS = {
  partition: (arr: Json[], size: number) => {
    if (!Array.isArray(arr) || !(size > 0)) throw new Error("invalid arguments to $partition");
    const out: Json[] = [];
    for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
    return out;
  },
  range: (start: number, end: number, step: number) => {
    const out: number[] = [];
    if (!(step !== 0)) throw new Error("invalid step in $range");
    for (let x = start; step > 0 ? x <= end : x >= end; x += step) out.push(x);
    // JSONata collapses a one-item sequence to the item; AWS's $range follows that.
    return out.length === 1 ? out[0] : out;
  },
  hash: (data: string, alg: string) => {
    const a = String(alg).toLowerCase().replace("-", "");
    return createHash(a).update(String(data)).digest("hex");
  },
  parse: (s: string) => JSON.parse(s),
};

function bindings(scope: JsonataScope): Record<string, unknown> {
  const states: JsonObject = { input: scope.input, context: scope.context() };
  if (scope.result !== undefined) states.result = scope.result;
  if (scope.errorOutput !== undefined) states.errorOutput = scope.errorOutput;
  return {
    ...scope.vars,
    ...STATIC_FUNCTIONS,
    states,
    random: () => scope.random(),
    uuid: () => scope.uuid(),
  };
}

/** Compiles one expression string `{% ... %}`. @throws JsonataSyntaxError */
export function compileExpression(text: string, field: string): JsonataFn {
  const m = EXPR.exec(text);
  const src = (m?.[1] ?? text).trim();
  let expr: ReturnType<typeof jsonata>;
  try {
    expr = jsonata(src);
  } catch (e) {
    throw new JsonataSyntaxError(
      `The JSONata expression '${src}' specified for the field '${field}' is invalid: ${(e as Error).message}`,
    );
  }
  return async (scope) => {
    let out: unknown;
    try {
      out = await expr.evaluate(scope.input, bindings(scope));
    } catch (e) {
      if (e instanceof StatesError) throw e;
      const err = e as { message?: string; code?: string };
      throw new StatesError(
        "States.QueryEvaluationError",
        `The JSONata expression '${src}' specified for the field '${field}' threw an error during evaluation: ${err.message ?? String(e)}`,
      );
    }
    if (out === undefined) {
      throw new StatesError(
        "States.QueryEvaluationError",
        `The JSONata expression '${src}' specified for the field '${field}' returned nothing (undefined).`,
      );
    }
    return normalise(out);
  };
}

/** JSONata sequences and frozen arrays carry extra properties; turn them into plain JSON. */
function normalise(v: unknown): Json {
  if (Array.isArray(v)) return v.map(normalise);
  if (v !== null && typeof v === "object") {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = normalise(x);
    return out;
  }
  if (typeof v === "function") return null;
  return v as Json;
}

/**
 * Compiles a JSONata-mode template: strings `{% %}` are expressions, objects and arrays are walked,
 * anything else is literal. `field` names the field for error messages (e.g. `Output`).
 */
export function compileJsonataTemplate(value: Json, field: string): CompiledJsonata {
  if (typeof value === "string" && EXPR.test(value)) {
    return { dynamic: true, evaluate: compileExpression(value, field) };
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileJsonataTemplate(v, `${field}[${i}]`));
    if (!items.some((i) => i.dynamic)) return { dynamic: false, evaluate: () => value };
    return {
      dynamic: true,
      evaluate: async (scope) => {
        const out: Json[] = [];
        for (const i of items) out.push(await i.evaluate(scope));
        return out;
      },
    };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(
      ([k, v]) => [k, compileJsonataTemplate(v, `${field}/${k}`)] as const,
    );
    if (!entries.some(([, c]) => c.dynamic)) return { dynamic: false, evaluate: () => value };
    return {
      dynamic: true,
      evaluate: async (scope) => {
        const out: JsonObject = {};
        for (const [k, c] of entries)
          out[k] = c.dynamic ? await c.evaluate(scope) : (value[k] as Json);
        return out;
      },
    };
  }
  return { dynamic: false, evaluate: () => value };
}
