/**
 * `${Name}` placeholders in ASL files: the same definition runs locally and on AWS, with the
 * function ARNs substituted at deploy (here) and at local start (the local runtime). Only string
 * values are scanned and filled, so JSON structure and escaping can never be broken by a value.
 */
import { PlaceholderError } from "./errors.ts";

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** Every placeholder name used in a definition's string values, sorted. */
export function findPlaceholders(definition: unknown): string[] {
  const found = new Set<string>();
  walkStrings(definition, (s) => {
    for (const m of s.matchAll(PLACEHOLDER)) found.add(m[1]!);
    return s;
  });
  return [...found].sort();
}

/**
 * Returns a copy of `definition` with each `${Name}` replaced by `values[Name]`. Throws a
 * {@link PlaceholderError} unless every placeholder has a value and every value a placeholder:
 * an unused value usually means a renamed state or a stale stack, both worth stopping a deploy for.
 */
export function fillPlaceholders<T>(definition: T, values: Readonly<Record<string, string>>): T {
  const used = findPlaceholders(definition);
  const missing = used.filter((name) => !Object.hasOwn(values, name));
  const unused = Object.keys(values)
    .filter((name) => !used.includes(name))
    .sort();
  if (missing.length > 0 || unused.length > 0) {
    const parts = [
      missing.length > 0 ? `no value for ${missing.map((n) => `\${${n}}`).join(", ")}` : "",
      unused.length > 0 ? `no placeholder for ${unused.join(", ")}` : "",
    ].filter(Boolean);
    throw new PlaceholderError(
      `ASL placeholders do not match the values given: ${parts.join("; ")} (fix the ASL file or the map of values in stacks/)`,
      { missing, unused },
    );
  }
  return walkStrings(definition, (s) =>
    s.replace(PLACEHOLDER, (_, name: string) => values[name]!),
  ) as T;
}

function walkStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === "string") return fn(value);
  if (Array.isArray(value)) return value.map((v) => walkStrings(v, fn));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walkStrings(v, fn)]));
  }
  return value;
}
