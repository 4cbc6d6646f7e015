/**
 * Collects diagnostics while the checks walk a definition. Locations are JSON pointers
 * (RFC 6901) into the definition, e.g. `/States/Charge/Retry/0/ErrorEquals`.
 */
import type { CompileOptions, Diagnostic, Json, JsonObject, QueryLanguage } from "../types.ts";

/** Appends escaped segments to a JSON pointer. */
export function pointer(base: string, ...segments: (string | number)[]): string {
  return segments.reduce<string>(
    (p, s) => `${p}/${String(s).replaceAll("~", "~0").replaceAll("/", "~1")}`,
    base,
  );
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A JSONata expression string: `{% ... %}` exactly, as AWS recognises it. */
export function isJsonataString(v: unknown): v is string {
  return typeof v === "string" && v.startsWith("{%") && v.endsWith("%}");
}

export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  /** Every state name seen so far, with where it was defined (names are global in AWS). */
  readonly stateNames = new Map<string, string>();

  constructor(
    readonly options: CompileOptions,
    /** The top-level QueryLanguage. */
    readonly topLanguage: QueryLanguage,
  ) {}

  error(code: string, location: string, message: string, hint?: string): void {
    this.diagnostics.push({
      severity: "ERROR",
      code,
      message,
      location,
      ...(hint ? { hint } : {}),
    });
  }

  warning(code: string, location: string, message: string): void {
    this.diagnostics.push({ severity: "WARNING", code, message, location });
  }

  /** The shorthand for the common schema error. */
  schema(location: string, message: string, hint?: string): void {
    this.error("SCHEMA_VALIDATION_FAILED", location, message, hint);
  }
}

/** The state being checked: its definition, where it sits, and its query language. */
export interface StateScope {
  name: string;
  state: JsonObject;
  at: string;
  language: QueryLanguage;
  checker: Checker;
}

export function describe(v: Json | undefined): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${JSON.stringify(v)}`;
}
