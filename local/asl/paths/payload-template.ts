/**
 * Payload templates of JSONPath states (Parameters, ResultSelector, ItemSelector, Assign): keys
 * ending in `.$` take their value from a path or an intrinsic function. Compiled once into a
 * function; literal subtrees are returned as-is (values are never mutated by the engine).
 */
import { StatesError } from "../errors.ts";
import type { Json, JsonObject } from "../types.ts";
import { evaluateIntrinsic, isIntrinsicCall } from "./intrinsics.ts";
import { type CompiledPath, compilePath, type PathScope } from "./jsonpath.ts";

/** A path scope plus the engine's PRNG, for intrinsics. */
export interface TemplateScope extends PathScope {
  random(): number;
}

export type TemplateFn = (scope: TemplateScope) => Json;

/** A compiled template; `dynamic` is false when it is a plain literal. */
export interface CompiledTemplate {
  dynamic: boolean;
  usesContext: boolean;
  evaluate: TemplateFn;
}

/** Reads a path for a `.$` field, with AWS's error when it selects nothing. */
export function readPathField(path: CompiledPath, scope: PathScope, field: string): Json {
  const v = path.get(scope);
  if (v === undefined) {
    const where =
      path.root === "context"
        ? "the context object"
        : path.root === "var"
          ? "the variables"
          : "the input";
    const shown = path.root === "input" ? ` '${JSON.stringify(scope.input)}'` : "";
    throw new StatesError(
      "States.Runtime",
      `The JSONPath '${path.source}' specified for the field '${field}' could not be found in ${where}${shown}`,
    );
  }
  return v;
}

/** Compiles one `.$` value (a path or an intrinsic call). */
export function compileDynamicValue(
  expr: string,
  field: string,
): { fn: TemplateFn; usesContext: boolean } {
  if (isIntrinsicCall(expr)) {
    return {
      usesContext: expr.includes("$$"),
      fn: (scope) => evaluateIntrinsic(expr, new IntrinsicArgs(scope, field)),
    };
  }
  const path = compilePath(expr);
  return { usesContext: path.root === "context", fn: (scope) => readPathField(path, scope, field) };
}

/** What an intrinsic reads; a class so an evaluation creates no closures. */
class IntrinsicArgs {
  constructor(
    private readonly scope: TemplateScope,
    private readonly field: string,
  ) {}
  resolvePath(p: string): Json {
    return readPathField(compilePathCached(p), this.scope, this.field);
  }
  random(): number {
    return this.scope.random();
  }
}

const pathCache = new Map<string, CompiledPath>();
function compilePathCached(p: string): CompiledPath {
  let c = pathCache.get(p);
  if (!c) {
    c = compilePath(p);
    if (pathCache.size < 10_000) pathCache.set(p, c);
  }
  return c;
}

/** Compiles a payload template. @throws JsonPathSyntaxError / Error for malformed paths. */
export function compilePayloadTemplate(value: Json): CompiledTemplate {
  if (Array.isArray(value)) {
    const items = value.map((v) => compilePayloadTemplate(v));
    if (!items.some((i) => i.dynamic)) return literal(value);
    return {
      dynamic: true,
      usesContext: items.some((i) => i.usesContext),
      evaluate: (scope) => items.map((i) => i.evaluate(scope)),
    };
  }
  if (value === null || typeof value !== "object") return literal(value);
  const entries: { key: string; fn: TemplateFn }[] = [];
  let dynamic = false;
  let usesContext = false;
  for (const [k, v] of Object.entries(value)) {
    if (k.endsWith(".$") && typeof v === "string") {
      const d = compileDynamicValue(v, k);
      entries.push({ key: k.slice(0, -2), fn: d.fn });
      dynamic = true;
      usesContext ||= d.usesContext;
    } else {
      const inner = compilePayloadTemplate(v);
      dynamic ||= inner.dynamic;
      usesContext ||= inner.usesContext;
      entries.push({ key: k, fn: inner.evaluate });
    }
  }
  if (!dynamic) return literal(value);
  return {
    dynamic,
    usesContext,
    evaluate: (scope) => {
      const out: JsonObject = {};
      for (const e of entries) out[e.key] = e.fn(scope);
      return out;
    },
  };
}

function literal(value: Json): CompiledTemplate {
  return { dynamic: false, usesContext: false, evaluate: () => value };
}
