/**
 * The task corpus's placeholders (`conformance/aws-recorded-tasks/README.md`): substituting
 * `${region}`, `${account}` and `${role}` into what a case sends, and matching what comes back
 * against an expectation holding `${any}`, `${token}`, `${uuid:K}`, `${exec:N}` and `${alt:a|b}`.
 * Comparison follows the README: deep equality with numbers by value; JSON text inside a string is
 * compared by value (the recorder stored some of it parsed); a Lambda error's `stackTrace` is
 * compared by presence only (the recordings are Python's stack, ours run in Node).
 */
import type { Json } from "../../../local/asl/types.ts";

export interface Substitutions {
  region: string;
  account: string;
  role: string;
}

/** A value with `${region}`, `${account}` and `${role}` replaced, in keys and strings alike. */
export function substitute<T>(value: T, s: Substitutions): T {
  const text = (t: string) =>
    t
      .replaceAll("${region}", s.region)
      .replaceAll("${account}", s.account)
      .replaceAll("${role}", s.role);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** What placeholders bound while matching: `${uuid:K}` to one value, `${exec:N}` to a name. */
export interface Bindings {
  uuids: Map<string, string>;
  /** Names of the executions the case started, in order. */
  executions: string[];
}

const UUID = "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}";
const PLACEHOLDER = /\$\{(any|token|uuid:[^}]+|exec:[^}]+|alt:[^}]+)\}/g;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether a string of the expectation holds a placeholder. */
const hasPlaceholder = (s: string) => s.includes("${");

/** The first difference between `expected` and `actual`, or undefined when they match. */
export function difference(
  expected: unknown,
  actual: unknown,
  b: Bindings,
  at = "$",
): string | undefined {
  if (typeof expected === "string") {
    if (expected === "${any}") return actual === undefined ? `${at}: missing` : undefined;
    if (expected === "${token}") {
      return typeof actual === "string" ? undefined : `${at}: expected a token`;
    }
    if (typeof actual === "string") {
      if (isJsonText(expected) && isJsonText(actual)) {
        return difference(JSON.parse(expected), JSON.parse(actual), b, `${at}(json)`);
      }
      return stringDifference(expected, actual, b, at);
    }
    return `${at}: expected ${short(expected)}, got ${short(actual)}`;
  }
  if (typeof expected === "number") {
    return typeof actual === "number" && actual === expected
      ? undefined
      : `${at}: expected ${expected}, got ${short(actual)}`;
  }
  if (expected === null || typeof expected === "boolean") {
    return actual === expected ? undefined : `${at}: expected ${expected}, got ${short(actual)}`;
  }
  // An object or array where a string came back: the recorder parsed JSON text.
  if (typeof actual === "string" && isJsonText(actual)) {
    return difference(expected, JSON.parse(actual), b, `${at}(json)`);
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return `${at}: expected ${short(expected)}, got ${short(actual)}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const d = difference(expected[i], actual[i], b, `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (!actual || typeof actual !== "object" || Array.isArray(actual)) {
    return `${at}: expected ${short(expected)}, got ${short(actual)}`;
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  for (const key of Object.keys(e)) {
    if (!Object.hasOwn(a, key)) return `${at}.${key}: missing (expected ${short(e[key])})`;
    // A Lambda error's stack: Python's lines on AWS, Node's here; present is what is compared.
    if (key === "stackTrace" && Array.isArray(e[key])) {
      if (!Array.isArray(a[key])) return `${at}.stackTrace: expected a stack, got ${short(a[key])}`;
      continue;
    }
    const d = difference(e[key], a[key], b, `${at}.${key}`);
    if (d) return d;
  }
  for (const key of Object.keys(a)) {
    if (!Object.hasOwn(e, key)) return `${at}.${key}: unexpected (${short(a[key])})`;
  }
  return undefined;
}

function stringDifference(
  expected: string,
  actual: string,
  b: Bindings,
  at: string,
): string | undefined {
  if (!hasPlaceholder(expected)) {
    return expected === actual
      ? undefined
      : `${at}: expected ${short(expected)}, got ${short(actual)}`;
  }
  const uuidKeys: string[] = [];
  let pattern = "";
  let last = 0;
  for (const m of expected.matchAll(PLACEHOLDER)) {
    pattern += escapeRegExp(expected.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    const token = m[1] as string;
    if (token === "any") pattern += "[\\s\\S]*?";
    else if (token === "token") pattern += "[\\s\\S]+?";
    else if (token.startsWith("uuid:")) {
      const key = token.slice(5);
      const bound = b.uuids.get(key);
      if (bound !== undefined) pattern += escapeRegExp(bound);
      else {
        uuidKeys.push(key);
        pattern += `(${UUID})`;
      }
    } else if (token.startsWith("exec:")) {
      const names = token
        .slice(5)
        .split("|")
        .map((n) => b.executions[Number(n)])
        .filter((n): n is string => n !== undefined);
      pattern += names.length ? `(?:${names.map(escapeRegExp).join("|")})` : "[^:]+";
    } else pattern += `(?:${token.slice(4).split("|").map(escapeRegExp).join("|")})`;
  }
  pattern += escapeRegExp(expected.slice(last));
  const m = new RegExp(`^${pattern}$`).exec(actual);
  if (!m) return `${at}: expected ${short(expected)}, got ${short(actual)}`;
  uuidKeys.forEach((key, i) => {
    b.uuids.set(key, m[i + 1] as string);
  });
  return undefined;
}

function isJsonText(s: string): boolean {
  const t = s.trimStart();
  if (!t.startsWith("{") && !t.startsWith("[")) return false;
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

function short(v: unknown): string {
  const s = JSON.stringify(v as Json);
  if (s === undefined) return "undefined";
  return s.length > 240 ? `${s.slice(0, 240)}…` : s;
}
