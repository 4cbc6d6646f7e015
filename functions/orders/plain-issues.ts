/**
 * Schema problems in plain words. zod's own messages are written for developers ("Invalid input:
 * expected object, received undefined"); a person placing an order needs the field, what it must
 * be, and for a missing group what goes in it ("customer: required: an object with name and
 * email"). Messages the schema spells out itself (model.ts) are kept as they are.
 */
import * as z from "zod";
import type { FieldIssue } from "./errors.ts";

/** `lines[0].sku` from zod's path `["lines", 0, "sku"]`; `(order)` for the whole order. */
export function fieldName(path: readonly PropertyKey[]): string {
  return (
    path
      .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`))
      .join("") || "(order)"
  );
}

/** zod's default messages, the ones the schema did not replace with its own words. */
const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Expected|Unrecognized)/;

/** One of zod's issues about `schema`'s input, as a field and a message a person can act on. */
export function plainIssue(issue: z.core.$ZodIssue, schema: z.ZodType): FieldIssue {
  const field = fieldName(issue.path);
  if (!ZOD_DEFAULT.test(issue.message)) return { field, message: issue.message };
  return { field, message: plainMessage(issue, schemaAt(schema, issue.path)) };
}

function plainMessage(issue: z.core.$ZodIssue, at: z.ZodType | undefined): string {
  switch (issue.code) {
    case "invalid_type": {
      const wanted = at ? describe(at) : `${article(issue.expected)} ${issue.expected}`;
      const received = /received (\w+)$/.exec(issue.message)?.[1];
      return received === "undefined" || received === undefined
        ? `required: ${wanted}`
        : `must be ${wanted}, not ${received === "string" ? "text" : received}`;
    }
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string")
        return min <= 1 ? "must not be empty" : `must be at least ${min} characters`;
      if (issue.origin === "array") return `needs at least ${min} item${min === 1 ? "" : "s"}`;
      return `must be ${issue.inclusive ? "≥" : ">"} ${min}`;
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return `must be at most ${max} characters`;
      if (issue.origin === "array") return `takes at most ${max} items`;
      return `must be ${issue.inclusive ? "≤" : "<"} ${max}`;
    }
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      return `must be ${issue.format === "email" ? "an email address" : `a valid ${issue.format}`}`;
    case "unrecognized_keys":
      return `has fields it does not take (${issue.keys.join(", ")}): remove them`;
    default:
      return issue.message;
  }
}

/** What a value of `schema` is, in words: "a number", "an object with name and email". */
function describe(schema: z.ZodType): string {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) {
    const required = Object.entries(s.shape as Record<string, z.ZodType>)
      .filter(([, v]) => !(v instanceof z.ZodOptional))
      .map(([k]) => k);
    return required.length ? `an object with ${list(required)}` : "an object";
  }
  if (s instanceof z.ZodArray) {
    const each = describe(s.element as z.ZodType);
    return each.startsWith("an object")
      ? `a list of objects${each.slice("an object".length)}`
      : `a list, each ${each}`;
  }
  if (s instanceof z.ZodString) return "text";
  if (s instanceof z.ZodNumber) return "a number";
  if (s instanceof z.ZodBoolean) return "true or false";
  if (s instanceof z.ZodEnum) return `one of ${(s.options as string[]).join(", ")}`;
  return "a value";
}

/** The part of `schema` at `path`, or undefined where the path leaves it. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let at: z.ZodType | undefined = schema;
  for (const key of path) {
    const s: z.ZodType | undefined = at && unwrap(at);
    if (s instanceof z.ZodObject && typeof key === "string")
      at = (s.shape as Record<string, z.ZodType>)[key];
    else if (s instanceof z.ZodArray && typeof key === "number") at = s.element as z.ZodType;
    else return undefined;
  }
  return at;
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? unwrap(schema.unwrap() as z.ZodType) : schema;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? "an" : "a";
}

/** "a", "a and b", "a, b and c". */
function list(items: string[]): string {
  return items.length < 2
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
