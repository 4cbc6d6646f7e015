/**
 * JSONPath for JSONPath-mode states, precompiled once per definition. Definite paths (`$.a.b`,
 * `$['a'][0]`, `$$.Execution.Id`, `$var.x`) run on a small walker; anything else (wildcards,
 * filters, slices, recursive descent) falls back to jsonpath-plus and yields an array of matches,
 * as Step Functions does for non-definite paths.
 */
import { JSONPath } from "jsonpath-plus";
import type { Json, JsonObject } from "../types.ts";

/** What a path reads from: the state's input, the context object and the variables in scope. */
export interface PathScope {
  input: Json;
  /** The context object `$$`, built on demand (most paths never touch it). */
  context(): Json;
  vars: Record<string, Json>;
}

export type PathRoot = "input" | "context" | "var";

/** A compiled JSONPath. `get` returns `undefined` when the path selects nothing. */
export interface CompiledPath {
  source: string;
  root: PathRoot;
  varName?: string;
  /** The walker's steps; `null` for non-definite paths (run by jsonpath-plus). */
  steps: (string | number)[] | null;
  get(scope: PathScope): Json | undefined;
}

/** A path syntax error, reported by the compiler as a definition diagnostic. */
export class JsonPathSyntaxError extends Error {
  override name = "JsonPathSyntaxError";
}

const VAR_ROOT = /^\$([A-Za-z_][A-Za-z0-9_]*)/;

function parseSteps(rest: string): (string | number)[] | null {
  const steps: (string | number)[] = [];
  let i = 0;
  while (i < rest.length) {
    const c = rest[i];
    if (c === ".") {
      if (rest[i + 1] === ".") return null;
      let j = i + 1;
      while (j < rest.length && rest[j] !== "." && rest[j] !== "[") j++;
      const name = rest.slice(i + 1, j);
      if (name === "" || name === "*" || name.includes("(") || name.includes("@")) return null;
      steps.push(name);
      i = j;
    } else if (c === "[") {
      const close = rest.indexOf("]", i);
      if (close < 0) throw new JsonPathSyntaxError(`unclosed '[' in path`);
      const inner = rest.slice(i + 1, close).trim();
      const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(inner);
      if (quoted) steps.push((quoted[1] ?? quoted[2]) as string);
      else if (/^\d+$/.test(inner)) steps.push(Number(inner));
      else return null;
      i = close + 1;
    } else {
      throw new JsonPathSyntaxError(`unexpected '${c}' in path`);
    }
  }
  return steps;
}

function walk(value: Json | undefined, steps: (string | number)[]): Json | undefined {
  let v = value;
  for (const step of steps) {
    if (v === null || typeof v !== "object") return undefined;
    if (typeof step === "number") {
      if (!Array.isArray(v)) return undefined;
      v = v[step < 0 ? v.length + step : step];
    } else {
      if (Array.isArray(v)) {
        // `$.a.length` style access is not JSONPath; keep arrays opaque to names.
        return undefined;
      }
      v = Object.hasOwn(v, step) ? (v as JsonObject)[step] : undefined;
    }
  }
  return v;
}

/** Whether `s` looks like a path (a candidate for `.$` values). */
export function isPath(s: string): boolean {
  return s.startsWith("$");
}

/**
 * Compiles a JSONPath. `allowVars` admits `$name` roots (variables); `allowContext` admits `$$`.
 * @throws JsonPathSyntaxError for text that is not a JSONPath.
 */
export function compilePath(source: string, allowVars = true): CompiledPath {
  const text = source.trim();
  if (!text.startsWith("$")) throw new JsonPathSyntaxError(`a path must start with '$'`);
  let root: PathRoot = "input";
  let varName: string | undefined;
  let rest: string;
  if (text.startsWith("$$")) {
    root = "context";
    rest = text.slice(2);
  } else {
    const m = VAR_ROOT.exec(text);
    if (m) {
      if (!allowVars) throw new JsonPathSyntaxError(`variables are not allowed here`);
      root = "var";
      varName = m[1];
      rest = text.slice(m[0].length);
    } else rest = text.slice(1);
  }
  const steps = parseSteps(rest);
  const base = (scope: PathScope): Json | undefined => {
    if (root === "input") return scope.input;
    if (root === "context") return scope.context();
    return Object.hasOwn(scope.vars, varName as string) ? scope.vars[varName as string] : undefined;
  };
  if (steps) {
    if (steps.length === 0 && root === "input") {
      return { source, root, steps, get: (scope) => scope.input };
    }
    return { source, root, varName, steps, get: (scope) => walk(base(scope), steps) };
  }
  const jpPath = `$${rest}`;
  return {
    source,
    root,
    varName,
    steps: null,
    get: (scope) => {
      const json = base(scope);
      if (json === undefined) return undefined;
      return JSONPath({ path: jpPath, json: json as object, wrap: true }) as Json;
    },
  };
}

/** AWS's normalised rendering of a definite path, e.g. `$['a'][0]`. */
/**
 * Why a path of the input selected nothing, in the words of the Java JSONPath library AWS uses:
 * a missing leaf is `No results for path: $['a']['b']`, a missing step before it
 * `Missing property in path $['a']`.
 */
export function missingAt(p: CompiledPath, input: Json): string {
  const steps = p.steps;
  if (!steps || p.root !== "input") return `No results for path: ${normalisedPath(p)}`;
  let at: Json | undefined = input;
  let path = "$";
  for (let i = 0; i < steps.length - 1; i++) {
    const step = steps[i] as string | number;
    path += typeof step === "number" ? `[${step}]` : `['${step}']`;
    const next: Json | undefined =
      at !== null && typeof at === "object" ? (at as Record<string, Json>)[step] : undefined;
    if (next === undefined && typeof step === "string") return `Missing property in path ${path}`;
    at = next;
  }
  return `No results for path: ${normalisedPath(p)}`;
}

export function normalisedPath(p: CompiledPath): string {
  if (!p.steps) return p.source;
  const head = p.root === "context" ? "$$" : p.root === "var" ? `$${p.varName}` : "$";
  return head + p.steps.map((s) => (typeof s === "number" ? `[${s}]` : `['${s}']`)).join("");
}

/**
 * Returns a copy of `target` with `value` placed at the definite path (ResultPath semantics):
 * objects along the path are shallow-copied, missing ones created. Returns `undefined` when the
 * path runs through a non-object.
 */
export function setAtPath(
  target: Json,
  steps: (string | number)[],
  value: Json,
  at = 0,
): Json | undefined {
  if (at === steps.length) return value;
  const head = steps[at] as string | number;
  if (typeof head === "number") {
    if (!Array.isArray(target)) return undefined;
    const copy = target.slice();
    const inner = setAtPath(copy[head] ?? {}, steps, value, at + 1);
    if (inner === undefined) return undefined;
    copy[head] = inner;
    return copy;
  }
  if (target === null || typeof target !== "object" || Array.isArray(target)) return undefined;
  const child = Object.hasOwn(target, head) ? (target[head] as Json) : {};
  const inner = at + 1 === steps.length ? value : setAtPath(child, steps, value, at + 1);
  if (inner === undefined) return undefined;
  const copy: JsonObject = Object.assign({}, target);
  copy[head] = inner;
  return copy;
}
