/**
 * Response shapes of AWS APIs, and the check TestState makes of a mocked result against them
 * (`fieldValidationMode`): STRICT — every required field present and every present field of the
 * right type and within its constraints; PRESENT — only the present fields. Fields the API does
 * not define are accepted in both modes (recorded on AWS: `{"pokemon": ...}` passes as a Lambda
 * result). Member names are Step Functions-cased (first letter upper case): the integrations
 * return `ExecutionArn`, not the SDK's `executionArn`. Messages are AWS's, per the recorded corpus.
 * Shapes come from the schema objects the installed `@aws-sdk/client-*` packages ship
 * (`fromSdkSchema`) or from the small vendored table (`vendored-shapes.ts`).
 */
import type { Json } from "../../asl/types.ts";

type Lazy<T> = () => T;

export type Shape =
  | { type: "structure"; members: Record<string, Lazy<Shape>>; required?: readonly string[] }
  | { type: "list"; member: Lazy<Shape> }
  | { type: "map"; value: Lazy<Shape> }
  | { type: "string" | "timestamp"; enum?: readonly string[]; min?: number; max?: number }
  | { type: "blob"; min?: number; max?: number }
  | { type: "number"; min?: number; max?: number }
  | { type: "boolean" }
  | { type: "document" };

const PREFIX = "Mock result schema validation error: ";

/** Checks `value` against `shape`; returns AWS's message for the first problem, if any. */
export function checkShape(
  value: Json,
  shape: Shape,
  mode: "STRICT" | "PRESENT",
): string | undefined {
  if (shape.type === "structure" && !isRecord(value)) {
    return `${PREFIX}the mocked result must be a JSON object`;
  }
  try {
    visit(value, shape, mode, undefined);
    return undefined;
  } catch (e) {
    if (e instanceof ShapeMismatch) return PREFIX + e.message;
    throw e;
  }
}

class ShapeMismatch extends Error {
  override name = "ShapeMismatch";
}

function fail(field: string | undefined, problem: string): never {
  throw new ShapeMismatch(`Field '${field ?? "result"}' ${problem}`);
}

function visit(value: Json, shape: Shape, mode: "STRICT" | "PRESENT", field?: string): void {
  switch (shape.type) {
    case "document":
      return;
    case "structure": {
      if (!isRecord(value)) fail(field, "must be an object");
      if (mode === "STRICT") {
        for (const r of shape.required ?? []) {
          if (!Object.hasOwn(value, r)) throw new ShapeMismatch(`Required field '${r}' is missing`);
        }
      }
      for (const [k, v] of Object.entries(value)) {
        const member = Object.hasOwn(shape.members, k) ? shape.members[k] : undefined;
        if (member) visit(v, member(), mode, k);
      }
      return;
    }
    case "list":
      if (!Array.isArray(value)) fail(field, "must be an array");
      for (const item of value) visit(item, shape.member(), mode, field);
      return;
    case "map":
      if (!isRecord(value)) fail(field, "must be an object");
      for (const v of Object.values(value)) visit(v, shape.value(), mode, field);
      return;
    case "string":
    case "timestamp":
    case "blob":
      if (typeof value !== "string") fail(field, "must be a string");
      if (shape.type !== "blob" && shape.enum && !shape.enum.includes(value)) {
        fail(field, "is not an expected value");
      }
      if (shape.type !== "timestamp") {
        if (shape.min !== undefined && value.length < shape.min) {
          fail(field, "is smaller than the minimum length");
        }
        if (shape.max !== undefined && value.length > shape.max) {
          fail(field, "exceeds the maximum length");
        }
      }
      return;
    case "number":
      if (typeof value !== "number") fail(field, "must be a number");
      if (shape.min !== undefined && value < shape.min)
        fail(field, "is less than the minimum value");
      if (shape.max !== undefined && value > shape.max) fail(field, "exceeds the maximum value");
      return;
    case "boolean":
      if (typeof value !== "boolean") fail(field, "must be a boolean");
      return;
  }
}

function isRecord(v: unknown): v is { [k: string]: Json } {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

// --- Smithy schema objects of @aws-sdk/client-* (`@smithy/core/schema`) ---------------------------

// Simple schema codes (`SCHEMA` in @smithy/core/schema's sentinels).
const LIST_MODIFIER = 0b0100_0000;
const MAP_MODIFIER = 0b1000_0000;

/** Step Functions' casing of an SDK member name: `executionArn` → `ExecutionArn`. */
export function sfnCased(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * The Shape of an SDK schema reference: a simple schema code, a thunk, or a schema array
 * (`[0, ns, name, traits, ref]` simple, `[1, ..., member]` list, `[2, ..., key, value]` map,
 * `[3|-3|4, ns, name, traits, memberNames, memberRefs, requiredCount]` structure/error/union).
 */
export function fromSdkSchema(ref: unknown): Shape {
  const r = typeof ref === "function" ? (ref as () => unknown)() : ref;
  if (typeof r === "number") return fromCode(r);
  if (!Array.isArray(r)) return { type: "document" };
  const tag = r[0];
  if (tag === 0) return fromSdkSchema(r[4]);
  if (tag === 1) return { type: "list", member: () => fromSdkSchema(memberRef(r[4])) };
  if (tag === 2) return { type: "map", value: () => fromSdkSchema(memberRef(r[5])) };
  if (tag === 3 || tag === -3 || tag === 4) {
    const names = (r[4] ?? []) as string[];
    const refs = (r[5] ?? []) as unknown[];
    const members: Record<string, Lazy<Shape>> = {};
    names.forEach((n, i) => {
      members[sfnCased(n)] = () => fromSdkSchema(memberRef(refs[i]));
    });
    // Smithy lists the required members first and counts them at index 6.
    const count = typeof r[6] === "number" ? r[6] : 0;
    return { type: "structure", members, required: names.slice(0, count).map(sfnCased) };
  }
  return { type: "document" };
}

/** A member reference with traits is `[ref, traits]`; a schema array is longer. */
function memberRef(m: unknown): unknown {
  return Array.isArray(m) && m.length === 2 ? m[0] : m;
}

function fromCode(code: number): Shape {
  if (code & MAP_MODIFIER) {
    const value = code & ~MAP_MODIFIER;
    return { type: "map", value: () => fromCode(value) };
  }
  if (code & LIST_MODIFIER) {
    const member = code & ~LIST_MODIFIER;
    return { type: "list", member: () => fromCode(member) };
  }
  switch (code) {
    case 0:
      return { type: "string" };
    case 1:
    case 17:
    case 19:
      return { type: "number" };
    case 2:
      return { type: "boolean" };
    case 4:
    case 5:
    case 6:
    case 7:
      return { type: "timestamp" };
    case 21:
    case 42:
      return { type: "blob" };
    default:
      return { type: "document" };
  }
}
